namespace ServerlessVideo.Pipeline;

/// <summary>
/// The durable task names every host registers. The local host and the Functions app both bind these names, and a
/// test proves the two sets are equal.
/// </summary>
public static class TaskNames
{
    public const string VideoOrchestration = "ClassifyVideo";
    public const string PrepareVideo = "PrepareVideo";
    public const string ExtractFrames = "ExtractFrames";
    public const string RunInference = "RunInference";
    public const string WriteResults = "WriteResults";
    public const string RecordFailure = "RecordFailure";

    /// <summary>The event a video waiting for a processing slot is woken with when one is handed to it.</summary>
    public const string AdmittedEvent = "Admitted";

    /// <summary>Every activity name.</summary>
    public static IReadOnlyList<string> Activities { get; } = [PrepareVideo, ExtractFrames, RunInference, WriteResults, RecordFailure];
}
