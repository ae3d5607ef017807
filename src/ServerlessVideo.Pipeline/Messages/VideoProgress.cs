namespace ServerlessVideo.Pipeline.Messages;

/// <summary>
/// Custom status of a running orchestration: the stage and overall percent done; while the video waits for a slot
/// (stage <c>queued</c>), how many videos are ahead of it plus one.
/// </summary>
public sealed record VideoProgress(string Stage, int Percent)
{
    public int? QueuePosition { get; init; }
}
