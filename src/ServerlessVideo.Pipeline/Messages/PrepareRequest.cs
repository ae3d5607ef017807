namespace ServerlessVideo.Pipeline.Messages;

/// <summary>
/// Admit the video if a slot is free and, once admitted, mark it Running from <paramref name="Now"/> (the
/// orchestration's replay-safe clock), probe it and plan its work. With <paramref name="FinishShort"/>, a plan of one
/// segment per view (a short video) is also decoded, inferred and written in the same activity (see
/// <see cref="PrepareOutcome.Finished"/>); false in histories recorded before that.
/// </summary>
public sealed record PrepareRequest(VideoJob Job, DateTimeOffset Now, bool FinishShort = false) : IVideoMessage
{
    string IVideoMessage.VideoId => Job.VideoId;
}
