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

    /// <summary>The orchestration that looks after the line of waiting videos while there is one (see <see cref="Orchestration.AdmissionWatch"/>).</summary>
    public const string AdmissionWatch = "WatchAdmission";

    /// <summary>Its activity: one sweep of the admission table.</summary>
    public const string SweepAdmission = "SweepAdmission";

    /// <summary>The admission watch's instance id: one per task hub.</summary>
    public const string AdmissionWatchId = "admission-watch";

    /// <summary>The event a video waiting for a processing slot is woken with when one is handed to it.</summary>
    public const string AdmittedEvent = "Admitted";

    /// <summary>Every activity name.</summary>
    public static IReadOnlyList<string> Activities { get; } = [PrepareVideo, ExtractFrames, RunInference, WriteResults, RecordFailure, SweepAdmission];
}
