using Microsoft.DurableTask;
using ServerlessVideo.Core;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Core.Planning;
using ServerlessVideo.Media;
using ServerlessVideo.Pipeline.Messages;

namespace ServerlessVideo.Pipeline.Orchestration;

/// <summary>
/// admit (wait for a processing slot, first submitted first) → probe and plan → decode every view's clips once → per
/// (view, segment) flow and every model of the view → write results, delete artifacts and hand the slot on. A short
/// video (one segment per view) does all of it in the admitting activity: one activity in all (plus one per ask
/// while it waits for a slot); a longer one decodes in a second, fans out one inference activity per (view, segment)
/// and writes in a last. Replay-safe: no I/O, clock or randomness here;
/// time comes from the context, and every payload is a small record of blob names.
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

    /// <summary>
    /// A video that learnt its place in line from its own ask (not from its starter, which made sure the
    /// <see cref="AdmissionWatch"/> runs) asks again after this long even if no slot was handed to it, doubling up to
    /// <see cref="MaxRecheck"/>.
    /// </summary>
    private static readonly TimeSpan FirstRecheck = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan MaxRecheck = TimeSpan.FromSeconds(30);

    /// <summary>Asks for a slot per orchestration history (about half an hour of waiting at the longest re-check).</summary>
    private const int MaxAsks = 60;

    public override async Task<VideoOutcome> RunAsync(TaskOrchestrationContext context, VideoJob job)
    {
        var startedAt = context.CurrentUtcDateTime;
        var stages = new StageClock(startedAt);
        VideoProbe? probe = null;
        IReadOnlyList<UnavailableModel>? unavailable = null;
        try
        {
            var prepared = await AdmitAndPrepareAsync(context, job);
            if (prepared is null)
            {
                // Waited long: start again with a fresh history (events not yet seen carry over).
                context.ContinueAsNew(job.WithoutSlot(), preserveUnprocessedEvents: true);
                return new VideoOutcome(job.VideoId, VideoStatuses.Queued, null, null, null);
            }

            if (prepared.Finished is { } whole)
            {
                // A short video: probed, decoded, inferred and written in that one activity.
                context.SetCustomStatus(new VideoProgress("done", 100));
                return whole.Outcome;
            }

            startedAt = prepared.StartedAt?.UtcDateTime ?? context.CurrentUtcDateTime;
            stages = new StageClock(startedAt);
            stages.Lap("probe", context.CurrentUtcDateTime);
            if (prepared.Failure is not null || prepared.Probe is null || prepared.Plan is null)
            {
                return await FailAsync(context, job, prepared.Failure ?? new VideoFailure(ReasonCodes.Internal, "Probe returned nothing."), prepared.Probe, stages, startedAt, prepared.Plan?.UnavailableModels);
            }

            probe = prepared.Probe;
            var plan = prepared.Plan;
            unavailable = plan.UnavailableModels;
            if (plan.Views.Count == 0)
            {
                // Every model failed to load (or there is none): nothing to run, and no consensus of nothing.
                return await FailAsync(context, job, NoModel(unavailable), probe, stages, startedAt, unavailable);
            }

            context.SetCustomStatus(new VideoProgress("extract", 5));
            var extracted = await context.CallActivityAsync<ExtractOutcome>(
                TaskNames.ExtractFrames, new ExtractRequest(job, probe, plan, new WriteContext(stages.Snapshot(), startedAt, unavailable)), Retry);
            if (extracted.Finished is { } done)
            {
                // Histories recorded before the decode moved into the preparing activity: decoded, inferred and written here.
                context.SetCustomStatus(new VideoProgress("done", 100));
                return done.Outcome;
            }

            List<InferResult> inferred;
            if (extracted.Inferred is { } inPlace)
            {
                // Histories recorded before the write moved into the decode: the models ran there, the write is next.
                // A short video's models ran in the decode's activity: its time splits into the two stages.
                stages.Split("extract", extracted.ExtractMs, "infer", context.CurrentUtcDateTime);
                inferred = [.. inPlace];
            }
            else
            {
                stages.Lap("extract", context.CurrentUtcDateTime);
                var inferences = (
                    from view in plan.Views
                    from part in extracted.Parts.Where(e => e.ViewKey == view.View.Key)
                    select context.CallActivityAsync<IReadOnlyList<InferResult>>(
                        TaskNames.RunInference,
                        new InferRequest(job.VideoId, view.View.Key, part.SegmentIndex, view.ModelIds, view.Flows ?? [], part.ClipsBlob),
                        Retry))
                    .ToList();
                inferred = [.. (await FanOutAsync(context, inferences, "infer", 40, 90)).SelectMany(i => i)];
                stages.Lap("infer", context.CurrentUtcDateTime);
            }

            context.SetCustomStatus(new VideoProgress("write", 90));
            var finished = await context.CallActivityAsync<FinishOutcome>(
                TaskNames.WriteResults,
                new WriteRequest(job, probe, inferred, stages.Snapshot(), startedAt, context.CurrentUtcDateTime, unavailable, plan, plan.Cuts, extracted.Pictures),
                Retry);
            context.SetCustomStatus(new VideoProgress("done", 100));
            return finished.Outcome;
        }
        catch (TaskFailedException ex)
        {
            return await FailAsync(context, job, VideoFailures.From(ex.FailureDetails), probe, stages, startedAt, unavailable);
        }
    }

    /// <summary>
    /// Asks for a slot until one is granted: between asks it waits for the <see cref="TaskNames.AdmittedEvent"/> a
    /// finishing video (or the <see cref="AdmissionWatch"/>) sends. A video its starter already put in line
    /// (<see cref="VideoJob.QueuePosition"/>) waits for that event alone, before its first ask: no durable timer per
    /// waiting video. One that learnt its place from its own ask (its starter could not ask) also re-checks after 10 s,
    /// doubling to 30 s. Once admitted, the same activity probes and plans. Null after <see cref="MaxAsks"/> asks, for
    /// the caller to continue as new (keeping the history bounded).
    /// </summary>
    private static async Task<PrepareOutcome?> AdmitAndPrepareAsync(TaskOrchestrationContext context, VideoJob job)
    {
        var recheck = FirstRecheck;
        var position = job.QueuePosition;
        var watched = position is not null && job.Watched;
        var heldSince = job.AdmittedAt;
        for (var asked = 0; asked < MaxAsks; asked++)
        {
            if (position is null)
            {
                var prepared = await context.CallActivityAsync<PrepareOutcome>(
                    TaskNames.PrepareVideo, new PrepareRequest(job, context.CurrentUtcDateTime, FinishShort: true) { HeldSince = heldSince }, Retry);
                if (prepared.Admitted)
                {
                    return prepared;
                }

                position = prepared.QueuePosition;
            }

            context.SetCustomStatus(new VideoProgress("queued", 0) { QueuePosition = position });
            if (watched)
            {
                await context.WaitForExternalEvent<bool>(TaskNames.AdmittedEvent);
                heldSince = context.CurrentUtcDateTime;
            }
            else
            {
                try
                {
                    await context.WaitForExternalEvent<bool>(TaskNames.AdmittedEvent, recheck);
                    heldSince = context.CurrentUtcDateTime;
                }
                catch (TaskCanceledException)
                {
                    // No wake-up within the re-check interval: ask again.
                    heldSince = null;
                }

                recheck = recheck * 2 > MaxRecheck ? MaxRecheck : recheck * 2;
            }

            position = null;
        }

        return null;
    }

    private static VideoFailure NoModel(IReadOnlyList<UnavailableModel>? unavailable) => new(
        ReasonCodes.ModelUnavailable,
        unavailable is { Count: > 0 }
            ? $"No model is available; {unavailable.Count} cannot load: {string.Join("; ", unavailable.Select(m => $"{m.Id}: {m.Message}"))}"
            : "No model is available: the models folder is missing or holds no manifest (see ./sv check-models).");

    private static async Task<VideoOutcome> FailAsync(
        TaskOrchestrationContext context, VideoJob job, VideoFailure failure, VideoProbe? probe, StageClock stages, DateTime startedAt,
        IReadOnlyList<UnavailableModel>? unavailable = null)
    {
        context.SetCustomStatus(new VideoProgress("failed", 100));
        var finished = await context.CallActivityAsync<FinishOutcome>(
            TaskNames.RecordFailure,
            new FailureRequest(job, failure, probe, stages.Snapshot(), startedAt, context.CurrentUtcDateTime, unavailable),
            Retry);
        return finished.Outcome;
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
