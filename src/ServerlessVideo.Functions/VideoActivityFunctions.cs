using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using ServerlessVideo.Pipeline;
using ServerlessVideo.Pipeline.Activities;
using ServerlessVideo.Pipeline.Messages;
using ServerlessVideo.Pipeline.Telemetry;

namespace ServerlessVideo.Functions;

/// <summary>
/// Thin [ActivityTrigger] wrappers around <see cref="VideoActivities"/>, one per <see cref="TaskNames"/> activity, each
/// run in its span through <see cref="PipelineTelemetry.RunAsync"/> as the local host's registrations do. Those that may
/// hand a processing slot on bind a durable client, to start (or wake) the video they hand it to.
/// </summary>
public sealed class VideoActivityFunctions(VideoActivities activities, PipelineTelemetry telemetry)
{
    [Function(TaskNames.PrepareVideo)]
    public Task<PrepareOutcome> PrepareAsync([ActivityTrigger] PrepareRequest request, [DurableClient] DurableTaskClient client) =>
        telemetry.RunAsync(TaskNames.PrepareVideo, request, r => activities.PrepareAsync(r, client));

    [Function(TaskNames.ExtractFrames)]
    public Task<ExtractOutcome> ExtractAsync([ActivityTrigger] ExtractRequest request, [DurableClient] DurableTaskClient client) =>
        telemetry.RunAsync(TaskNames.ExtractFrames, request, r => activities.ExtractAsync(r, client));

    [Function(TaskNames.RunInference)]
    public Task<IReadOnlyList<InferResult>> InferAsync([ActivityTrigger] InferRequest request) =>
        telemetry.RunAsync(TaskNames.RunInference, request, activities.InferAsync);

    [Function(TaskNames.WriteResults)]
    public Task<FinishOutcome> WriteResultsAsync([ActivityTrigger] WriteRequest request, [DurableClient] DurableTaskClient client) =>
        telemetry.RunAsync(TaskNames.WriteResults, request, r => activities.WriteResultsAsync(r, client));

    [Function(TaskNames.RecordFailure)]
    public Task<FinishOutcome> RecordFailureAsync([ActivityTrigger] FailureRequest request, [DurableClient] DurableTaskClient client) =>
        telemetry.RunAsync(TaskNames.RecordFailure, request, r => activities.RecordFailureAsync(r, client));

    [Function(TaskNames.SweepAdmission)]
    public Task<SweepOutcome> SweepAdmissionAsync([ActivityTrigger] SweepRequest request, [DurableClient] DurableTaskClient client) =>
        telemetry.RunAsync(TaskNames.SweepAdmission, request, r => activities.SweepAdmissionAsync(r, client));
}
