namespace ServerlessVideo.Pipeline.Messages;

/// <summary>
/// Admit the video if a slot is free and, once admitted, mark it Running from <paramref name="Now"/> (the
/// orchestration's replay-safe clock), probe it and plan its work.
/// </summary>
public sealed record PrepareRequest(VideoJob Job, DateTimeOffset Now) : IVideoMessage
{
    string IVideoMessage.VideoId => Job.VideoId;
}
