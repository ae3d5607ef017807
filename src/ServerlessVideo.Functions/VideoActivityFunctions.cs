using Microsoft.Azure.Functions.Worker;
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
    [Function(TaskNames.PrepareVideo)]
    public Task<PrepareOutcome> PrepareAsync([ActivityTrigger] PrepareRequest request) =>
        telemetry.RunAsync(TaskNames.PrepareVideo, request, activities.PrepareAsync);

    [Function(TaskNames.ExtractFrames)]
    public Task<ExtractOutcome> ExtractAsync([ActivityTrigger] ExtractRequest request) =>
        telemetry.RunAsync(TaskNames.ExtractFrames, request, activities.ExtractAsync);

    [Function(TaskNames.RunInference)]
    public Task<IReadOnlyList<InferResult>> InferAsync([ActivityTrigger] InferRequest request) =>
        telemetry.RunAsync(TaskNames.RunInference, request, activities.InferAsync);

    [Function(TaskNames.WriteResults)]
    public Task<FinishOutcome> WriteResultsAsync([ActivityTrigger] WriteRequest request) =>
        telemetry.RunAsync(TaskNames.WriteResults, request, activities.WriteResultsAsync);

    [Function(TaskNames.RecordFailure)]
    public Task<FinishOutcome> RecordFailureAsync([ActivityTrigger] FailureRequest request) =>
        telemetry.RunAsync(TaskNames.RecordFailure, request, activities.RecordFailureAsync);

    [Function(TaskNames.SweepAdmission)]
    public Task<SweepOutcome> SweepAdmissionAsync([ActivityTrigger] SweepRequest request) =>
        telemetry.RunAsync(TaskNames.SweepAdmission, request, activities.SweepAdmissionAsync);
}
