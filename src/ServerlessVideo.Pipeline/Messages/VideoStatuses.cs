namespace ServerlessVideo.Pipeline.Messages;

/// <summary>Values of a video row's <c>Status</c>.</summary>
public static class VideoStatuses
{
    public const string Queued = "Queued";
    public const string Running = "Running";
    public const string Completed = "Completed";
    public const string Failed = "Failed";

    public static IReadOnlyList<string> All { get; } = [Queued, Running, Completed, Failed];

    public static bool IsFinal(string? status) => status is Completed or Failed;
}
