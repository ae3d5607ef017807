namespace ServerlessVideo.Pipeline.Messages;

/// <summary>Custom status of a running orchestration: the stage and overall percent done.</summary>
public sealed record VideoProgress(string Stage, int Percent);
