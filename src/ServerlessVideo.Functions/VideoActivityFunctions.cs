using Microsoft.Azure.Functions.Worker;
using ServerlessVideo.Core.Planning;
using ServerlessVideo.Pipeline;
using ServerlessVideo.Pipeline.Activities;
using ServerlessVideo.Pipeline.Messages;

namespace ServerlessVideo.Functions;

/// <summary>Thin [ActivityTrigger] wrappers around <see cref="VideoActivities"/>, one per <see cref="TaskNames"/> activity.</summary>
public sealed class VideoActivityFunctions(VideoActivities activities)
{
    [Function(TaskNames.MarkRunning)]
    public Task<bool> MarkRunningAsync([ActivityTrigger] RunningRequest request) => activities.MarkRunningAsync(request);

    [Function(TaskNames.ProbeVideo)]
    public Task<ProbeOutcome> ProbeAsync([ActivityTrigger] VideoJob job) => activities.ProbeAsync(job);

    [Function(TaskNames.PlanVideo)]
    public Task<VideoPlan> PlanAsync([ActivityTrigger] PlanRequest request) => activities.PlanAsync(request);

    [Function(TaskNames.ExtractFrames)]
    public Task<ExtractResult> ExtractAsync([ActivityTrigger] ExtractRequest request) => activities.ExtractAsync(request);

    [Function(TaskNames.ComputeFlow)]
    public Task<FlowResult> ComputeFlowAsync([ActivityTrigger] FlowRequest request) => activities.ComputeFlowAsync(request);

    [Function(TaskNames.RunInference)]
    public Task<InferResult> InferAsync([ActivityTrigger] InferRequest request) => activities.InferAsync(request);

    [Function(TaskNames.WriteResults)]
    public Task<VideoOutcome> WriteResultsAsync([ActivityTrigger] WriteRequest request) => activities.WriteResultsAsync(request);

    [Function(TaskNames.RecordFailure)]
    public Task<VideoOutcome> RecordFailureAsync([ActivityTrigger] FailureRequest request) => activities.RecordFailureAsync(request);

    [Function(TaskNames.DeleteArtifacts)]
    public Task<int> DeleteArtifactsAsync([ActivityTrigger] string videoId) => activities.DeleteArtifactsAsync(videoId);
}
