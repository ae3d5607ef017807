namespace ServerlessVideo.Pipeline.Messages;

/// <summary>
/// Admit the video if a slot is free and, once admitted, probe it and plan its work, marking it Running from
/// <paramref name="Now"/> (the orchestration's replay-safe clock; see <see cref="Activities.RunningMark"/>). With <paramref name="FinishShort"/>, a plan of one
/// segment per view (a short video) is also decoded, inferred and written in the same activity (see
/// <see cref="PrepareOutcome.Finished"/>); false in histories recorded before that.
/// </summary>
public sealed record PrepareRequest(VideoJob Job, DateTimeOffset Now, bool FinishShort = false) : IVideoMessage
{
    /// <summary>
    /// When the slot became the video's, about, if it already is: taken by its starter, or handed on by a release (a
    /// wake-up is sent only then; this is when the wake-up arrived, a little after). The activity goes ahead without
    /// reading the slots when it starts within <see cref="Storage.AdmissionStore.TrustHandOffFor"/> of it.
    /// </summary>
    public DateTimeOffset? HeldSince { get; init; }

    string IVideoMessage.VideoId => Job.VideoId;
}
