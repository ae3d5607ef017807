using Microsoft.Azure.Functions.Worker;
using ServerlessVideo.Core.Planning;
using ServerlessVideo.Pipeline;
using ServerlessVideo.Pipeline.Activities;
using ServerlessVideo.Pipeline.Messages;
using ServerlessVideo.Pipeline.Telemetry;

namespace ServerlessVideo.Functions;

/// <summary>
/// Thin [ActivityTrigger] wrappers around <see cref="VideoActivities"/>, one per <see cref="TaskNames"/> activity, each
/// run in its span through <see cref="PipelineTelemetry.RunAsync"/> as the local host's registrations do.
/// </summary>
public sealed class VideoActivityFunctions(VideoActivities activities, PipelineTelemetry telemetry)
{
    [Function(TaskNames.MarkRunning)]
    public Task<bool> MarkRunningAsync([ActivityTrigger] RunningRequest request) =>
        telemetry.RunAsync(TaskNames.MarkRunning, request, activities.MarkRunningAsync);

    [Function(TaskNames.ProbeVideo)]
    public Task<ProbeOutcome> ProbeAsync([ActivityTrigger] VideoJob job) =>
        telemetry.RunAsync(TaskNames.ProbeVideo, job, activities.ProbeAsync);

    [Function(TaskNames.PlanVideo)]
    public Task<VideoPlan> PlanAsync([ActivityTrigger] PlanRequest request) =>
        telemetry.RunAsync(TaskNames.PlanVideo, request, activities.PlanAsync);

    [Function(TaskNames.ExtractFrames)]
    public Task<ExtractResult> ExtractAsync([ActivityTrigger] ExtractRequest request) =>
        telemetry.RunAsync(TaskNames.ExtractFrames, request, activities.ExtractAsync);

    [Function(TaskNames.ComputeFlow)]
    public Task<FlowResult> ComputeFlowAsync([ActivityTrigger] FlowRequest request) =>
        telemetry.RunAsync(TaskNames.ComputeFlow, request, activities.ComputeFlowAsync);

    [Function(TaskNames.RunInference)]
    public Task<InferResult> InferAsync([ActivityTrigger] InferRequest request) =>
        telemetry.RunAsync(TaskNames.RunInference, request, activities.InferAsync);

    [Function(TaskNames.WriteResults)]
    public Task<VideoOutcome> WriteResultsAsync([ActivityTrigger] WriteRequest request) =>
        telemetry.RunAsync(TaskNames.WriteResults, request, activities.WriteResultsAsync);

    [Function(TaskNames.RecordFailure)]
    public Task<VideoOutcome> RecordFailureAsync([ActivityTrigger] FailureRequest request) =>
        telemetry.RunAsync(TaskNames.RecordFailure, request, activities.RecordFailureAsync);

    [Function(TaskNames.DeleteArtifacts)]
    public Task<int> DeleteArtifactsAsync([ActivityTrigger] string videoId) =>
        telemetry.RunAsync(TaskNames.DeleteArtifacts, videoId, activities.DeleteArtifactsAsync);
}
