namespace ServerlessVideo.Pipeline.Messages;

/// <summary>
/// Admit the video if a slot is free and, once admitted, mark it Running from <paramref name="Now"/> (the
/// orchestration's replay-safe clock), probe it and plan its work. With <paramref name="FinishShort"/>, a plan of one
/// segment per view (a short video) is also decoded, inferred and written in the same activity (see
/// <see cref="PrepareOutcome.Finished"/>); false in histories recorded before that.
/// </summary>
public sealed record PrepareRequest(VideoJob Job, DateTimeOffset Now, bool FinishShort = false) : IVideoMessage
{
    /// <summary>
    /// The ask follows a wake-up, which is sent only once the slot is the video's: the activity takes it as admitted
    /// without reading the holders, when it starts within <see cref="Storage.AdmissionStore.TrustHandOffFor"/> of
    /// <see cref="Now"/>.
    /// </summary>
    public bool Handed { get; init; }

    string IVideoMessage.VideoId => Job.VideoId;
}
