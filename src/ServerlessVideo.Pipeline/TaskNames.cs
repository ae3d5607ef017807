namespace ServerlessVideo.Pipeline;

/// <summary>
/// The durable task names every host registers. The local host and the Functions app both bind these names, and a
/// test proves the two sets are equal.
/// </summary>
public static class TaskNames
{
    public const string VideoOrchestration = "ClassifyVideo";
    public const string MarkRunning = "MarkRunning";
    public const string ProbeVideo = "ProbeVideo";
    public const string PlanVideo = "PlanVideo";
    public const string ExtractFrames = "ExtractFrames";
    public const string ComputeFlow = "ComputeFlow";
    public const string RunInference = "RunInference";
    public const string WriteResults = "WriteResults";
    public const string RecordFailure = "RecordFailure";
    public const string DeleteArtifacts = "DeleteArtifacts";

    /// <summary>Every activity name.</summary>
    public static IReadOnlyList<string> Activities { get; } =
        [MarkRunning, ProbeVideo, PlanVideo, ExtractFrames, ComputeFlow, RunInference, WriteResults, RecordFailure, DeleteArtifacts];
}
