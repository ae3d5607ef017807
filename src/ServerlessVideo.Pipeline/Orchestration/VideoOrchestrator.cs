using Microsoft.DurableTask;
using ServerlessVideo.Core;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Core.Planning;
using ServerlessVideo.Media;
using ServerlessVideo.Pipeline.Messages;

namespace ServerlessVideo.Pipeline.Orchestration;

/// <summary>
/// probe → plan → fan-out frame extraction per (view, segment) → fan-out optical flow per (view, segment, flow) for
/// the models that read flow → fan-out inference per (model, segment) → write results → delete artifacts. Replay-safe: no I/O, clock or randomness here; time comes from the context, and every
/// payload is a small record of blob names.
/// </summary>
public sealed class VideoOrchestrator : TaskOrchestrator<VideoJob, VideoOutcome>
{
    /// <summary>Transient failures get two more attempts with a durable back-off; refusals of the input are final at once.</summary>
    private static readonly TaskOptions Retry = TaskOptions.FromRetryHandler(async retry =>
    {
        if (retry.LastFailure.IsCausedBy<MediaRejectedException>() || retry.LastAttemptNumber >= 3)
        {
            return false;
        }

        await retry.OrchestrationContext.CreateTimer(TimeSpan.FromSeconds(2 * retry.LastAttemptNumber), CancellationToken.None);
        return true;
    });

    public override async Task<VideoOutcome> RunAsync(TaskOrchestrationContext context, VideoJob job)
    {
        var startedAt = context.CurrentUtcDateTime;
        var stages = new StageClock(startedAt);
        VideoProbe? probe = null;
        IReadOnlyList<UnavailableModel>? unavailable = null;
        try
        {
            context.SetCustomStatus(new VideoProgress("probe", 0));
            await context.CallActivityAsync<bool>(TaskNames.MarkRunning, new RunningRequest(job, startedAt), Retry);
            var probed = await context.CallActivityAsync<ProbeOutcome>(TaskNames.ProbeVideo, job, Retry);
            stages.Lap("probe", context.CurrentUtcDateTime);
            if (probed.Failure is not null || probed.Probe is null)
            {
                return await FailAsync(context, job, probed.Failure ?? new VideoFailure(ReasonCodes.Internal, "Probe returned nothing."), null, stages, startedAt);
            }

            probe = probed.Probe;
            context.SetCustomStatus(new VideoProgress("plan", 5));
            var plan = await context.CallActivityAsync<VideoPlan>(TaskNames.PlanVideo, new PlanRequest(job, probe), Retry);
            stages.Lap("plan", context.CurrentUtcDateTime);
            unavailable = plan.UnavailableModels;
            if (plan.Views.Count == 0)
            {
                // Every model failed to load (or there is none): nothing to run, and no consensus of nothing.
                return await FailAsync(context, job, NoModel(unavailable), probe, stages, startedAt, unavailable);
            }

            var extractions = plan.Views
                .SelectMany(v => v.Segments.Select(s =>
                    context.CallActivityAsync<ExtractResult>(TaskNames.ExtractFrames, new ExtractRequest(job, v.View, s), Retry)))
                .ToList();
            var extracted = await FanOutAsync(context, extractions, "extract", 5, 40);
            stages.Lap("extract", context.CurrentUtcDateTime);

            var flowTasks = (
                from view in plan.Views
                from flow in view.Flows ?? []
                from part in extracted.Where(e => e.ViewKey == view.View.Key)
                select context.CallActivityAsync<FlowResult>(
                    TaskNames.ComputeFlow, new FlowRequest(job.VideoId, view.View.Key, flow, part.SegmentIndex, part.ClipBlobs), Retry))
                .ToList();
            var flows = flowTasks.Count == 0 ? [] : await FanOutAsync(context, flowTasks, "flow", 40, 50);
            if (flowTasks.Count > 0)
            {
                stages.Lap("flow", context.CurrentUtcDateTime);
            }

            var inferences = (
                from view in plan.Views
                from modelId in view.ModelIds
                from part in extracted.Where(e => e.ViewKey == view.View.Key)
                select context.CallActivityAsync<InferResult>(
                    TaskNames.RunInference, new InferRequest(job.VideoId, modelId, part.SegmentIndex, Streams(part, flows)), Retry))
                .ToList();
            var inferred = await FanOutAsync(context, inferences, "infer", 50, 90);
            stages.Lap("infer", context.CurrentUtcDateTime);

            context.SetCustomStatus(new VideoProgress("write", 90));
            var outcome = await context.CallActivityAsync<VideoOutcome>(
                TaskNames.WriteResults,
                new WriteRequest(job, probe, inferred, stages.Snapshot(), startedAt, context.CurrentUtcDateTime, unavailable),
                Retry);
            await DeleteArtifactsAsync(context, job);
            context.SetCustomStatus(new VideoProgress("done", 100));
            return outcome;
        }
        catch (TaskFailedException ex)
        {
            return await FailAsync(context, job, VideoFailures.From(ex.FailureDetails), probe, stages, startedAt, unavailable);
        }
    }

    private static VideoFailure NoModel(IReadOnlyList<UnavailableModel>? unavailable) => new(
        ReasonCodes.ModelUnavailable,
        unavailable is { Count: > 0 }
            ? $"No model is available; {unavailable.Count} cannot load: {string.Join("; ", unavailable.Select(m => $"{m.Id}: {m.Message}"))}"
            : "No model is available: the models folder is missing or holds no manifest (see ./sv check-models).");

    /// <summary>Every stream of one segment of a view: its RGB clips and each flow computed from them.</summary>
    private static Dictionary<string, IReadOnlyList<string>> Streams(ExtractResult part, IEnumerable<FlowResult> flows)
    {
        var streams = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { [Core.Manifests.ModelInput.Rgb] = part.ClipBlobs };
        foreach (var flow in flows.Where(f => f.ViewKey == part.ViewKey && f.SegmentIndex == part.SegmentIndex))
        {
            streams[flow.FlowKey] = flow.ClipBlobs;
        }

        return streams;
    }

    private static async Task<VideoOutcome> FailAsync(
        TaskOrchestrationContext context, VideoJob job, VideoFailure failure, VideoProbe? probe, StageClock stages, DateTime startedAt,
        IReadOnlyList<UnavailableModel>? unavailable = null)
    {
        context.SetCustomStatus(new VideoProgress("failed", 100));
        var outcome = await context.CallActivityAsync<VideoOutcome>(
            TaskNames.RecordFailure,
            new FailureRequest(job, failure, probe, stages.Snapshot(), startedAt, context.CurrentUtcDateTime, unavailable),
            Retry);
        await DeleteArtifactsAsync(context, job);
        return outcome;
    }

    private static async Task DeleteArtifactsAsync(TaskOrchestrationContext context, VideoJob job)
    {
        try
        {
            await context.CallActivityAsync<int>(TaskNames.DeleteArtifacts, job.VideoId, Retry);
        }
        catch (TaskFailedException)
        {
            // Results are already stored; leftover artifacts are only storage, and their prefix names the video.
        }
    }

    /// <summary>
    /// Awaits every task, advancing the custom status from <paramref name="from"/> to <paramref name="to"/> percent as
    /// they finish. On failure it still waits for the rest (so nothing writes artifacts after clean-up), then throws the first.
    /// </summary>
    private static async Task<List<T>> FanOutAsync<T>(TaskOrchestrationContext context, List<Task<T>> tasks, string stage, int from, int to)
    {
        context.SetCustomStatus(new VideoProgress(stage, from));
        var pending = new List<Task<T>>(tasks);
        TaskFailedException? first = null;
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending);
            pending.Remove(done);
            if (done.Exception?.InnerException is TaskFailedException failed)
            {
                first ??= failed;
            }

            context.SetCustomStatus(new VideoProgress(stage, from + ((to - from) * (tasks.Count - pending.Count) / Math.Max(tasks.Count, 1))));
        }

        if (first is not null)
        {
            throw first;
        }

        return [.. tasks.Select(t => t.Result)];
    }
}
