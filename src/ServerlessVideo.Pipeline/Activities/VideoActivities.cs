using System.Diagnostics;
using System.Text.Json;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessVideo.Core;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Core.Planning;
using ServerlessVideo.Core.Results;
using ServerlessVideo.Inference;
using ServerlessVideo.Media;
using ServerlessVideo.Pipeline.Api;
using ServerlessVideo.Pipeline.Messages;
using ServerlessVideo.Pipeline.Orchestration;
using ServerlessVideo.Pipeline.Storage;
using ServerlessVideo.Pipeline.Telemetry;

namespace ServerlessVideo.Pipeline.Activities;

/// <summary>
/// The activities of the video orchestration as plain methods: every host binds them under <see cref="TaskNames"/>
/// (the local host through func registrations, Functions through <c>[ActivityTrigger]</c> wrappers). All I/O lives here.
/// Both wrap each call in <see cref="PipelineTelemetry.RunAsync"/>; the methods add what only they know (clips, bytes,
/// model, provider) to that span through <see cref="PipelineTelemetry.CurrentSpan"/>.
/// </summary>
public sealed partial class VideoActivities(
    VideoFileCache files,
    ArtifactStore artifacts,
    ResultBlobStore resultBlobs,
    ResultStore results,
    VideoProber prober,
    FrameSource frames,
    ShotDetector shots,
    PictureMaker pictures,
    ModelRunner runner,
    AdmissionStore admission,
    VideoStarter starter,
    ModelRegistry models,
    PipelineTelemetry telemetry,
    IOptions<PipelineOptions> options,
    ILogger<VideoActivities> logger)
{
    /// <summary>
    /// <see cref="TaskNames.PrepareVideo"/>: take a processing slot or a place in line; once admitted, check the size
    /// without downloading, probe the local copy and plan every model that loads (the ones that cannot are named in
    /// <see cref="VideoPlan.UnavailableModels"/>), and mark the row Running (see <see cref="RunningMark"/>).
    /// </summary>
    public async Task<PrepareOutcome> PrepareAsync(PrepareRequest request, DurableTaskClient client)
    {
        var job = request.Job;
        var (admitted, position) = request.HeldSince is { } held && DateTimeOffset.UtcNow - held < AdmissionStore.TrustHandOffFor
            ? (true, 0)
            : await admission.TryAdmitAsync(job, CancellationToken.None);
        if (!admitted)
        {
            PipelineTelemetry.CurrentSpan?.SetTag(TelemetryTags.QueuePosition, position);
            return PrepareOutcome.Queued(position);
        }

        // With FinishShort (every orchestration since short videos finish here), the row is marked Running once this
        // activity has lasted MarkRunningAfter, or when it hands a longer video on; a short video done sooner never is.
        await using var running = await RunningMark.StartAsync(
            () => MarkRunningAsync(job, request.Now),
            ex => LogMarkFailed(logger, job.VideoId, ex),
            request.Now,
            request.FinishShort ? options.Value.MarkRunningAfter : TimeSpan.Zero);
        try
        {
            var facts = await files.GetFactsAsync(job, CancellationToken.None);
            var size = facts.Size;
            PipelineTelemetry.CurrentSpan?.SetTag(TelemetryTags.Bytes, size);
            var selection = Selection(facts);
            prober.CheckSize(size);
            var input = await files.GetInputAsync(job, size, CancellationToken.None);
            PipelineTelemetry.CurrentSpan?.SetTag(TelemetryTags.Streamed, input.IsRemote);
            var probe = await prober.ProbeAsync(input, CancellationToken.None);
            var cuts = await DetectShotsAsync(job.VideoId, input);
            await files.EnsureUnchangedAsync(job, input, CancellationToken.None);
            var plan = Plan(probe, selection, cuts);
            if (request.FinishShort && plan.Views.Count > 0 && OneSegmentPerView(plan))
            {
                return await FinishShortAsync(job, probe, plan, running, client);
            }

            return new PrepareOutcome(true, 0, await running.MarkNowAsync(), probe, plan, null);
        }
        catch (ModelSelectionException ex)
        {
            return Refused(job.VideoId, await running.SettleAsync(), ReasonCodes.ModelUnavailable, ex.Message);
        }
        catch (MediaRejectedException ex)
        {
            return Refused(job.VideoId, await running.SettleAsync(), ex.ReasonCode, ex.Detail);
        }
    }

    /// <summary>A refusal is the activity's answer, not its failure: logged, and the span stays ok and says why.</summary>
    private PrepareOutcome Refused(string videoId, DateTimeOffset startedAt, string reasonCode, string detail, VideoProbe? probe = null, VideoPlan? plan = null)
    {
        LogRejected(logger, videoId, reasonCode, detail);
        PipelineTelemetry.CurrentSpan?.SetTag(TelemetryTags.ReasonCode, reasonCode);
        return new PrepareOutcome(true, 0, startedAt, probe, plan, new VideoFailure(reasonCode, detail));
    }

    /// <summary>A short video's plan: <see cref="ExtractAsync"/> runs its models and writes its results itself.</summary>
    private static bool OneSegmentPerView(VideoPlan plan) => plan.Views.All(v => v.Segments.Count <= 1);

    /// <summary>
    /// A short video goes on to <see cref="TaskNames.ExtractFrames"/> (under that activity's own span) in this
    /// activity: one activity in all instead of two, so one round of queue messages and orchestration episodes fewer.
    /// A refusal of the input while decoding is the answer, with the probe and plan; other failures fail this activity,
    /// whose retry admits (the slot is still held), probes and decodes again.
    /// </summary>
    private async Task<PrepareOutcome> FinishShortAsync(VideoJob job, VideoProbe probe, VideoPlan plan, RunningMark running, DurableTaskClient client)
    {
        var startedAt = running.StartedAt;
        var probeMs = Math.Round(Math.Max(0, (DateTimeOffset.UtcNow - startedAt).TotalMilliseconds), 1);
        var extract = new ExtractRequest(job, probe, plan, new WriteContext(new Dictionary<string, double>(StringComparer.Ordinal) { ["probe"] = probeMs }, startedAt, plan.UnavailableModels));
        try
        {
            var outcome = await telemetry.RunAsync(TaskNames.ExtractFrames, extract, r => ExtractAsync(r, client, running.SettleAsync));
            return new PrepareOutcome(true, 0, await running.SettleAsync(), null, null, null) { Finished = outcome.Finished };
        }
        catch (MediaRejectedException ex)
        {
            return Refused(job.VideoId, await running.SettleAsync(), ex.ReasonCode, ex.Detail, probe, plan);
        }
    }

    /// <summary>
    /// The row shows Running from <paramref name="now"/>; a retry keeps the first start. A final row is left alone. The
    /// row the starter wrote is marked without a read (on its ETag); any other is read first.
    /// </summary>
    private async Task<DateTimeOffset> MarkRunningAsync(VideoJob job, DateTimeOffset now)
    {
        var running = VideoRow.Of(job, VideoStatuses.Running);
        running.StartedAt = now;
        if (job.RowETag is { } queued && await results.TryMergeUnchangedAsync(running, new Azure.ETag(queued), CancellationToken.None))
        {
            return now;
        }

        var row = await results.GetAsync(job.VideoId, CancellationToken.None);
        if (row is not null && (VideoStatuses.IsFinal(row.Status) || row.Status == VideoStatuses.Running) && row.StartedAt is { } started)
        {
            return started;
        }

        await results.MergeAsync(running, CancellationToken.None);
        return now;
    }

    /// <summary>
    /// The models this upload asks for (its <c>models</c> metadata, else <see cref="PipelineOptions.Models"/>); a name
    /// that is no model id or label space here refuses the video, naming what there is.
    /// </summary>
    private ModelSelection Selection(BlobFacts facts)
    {
        var fromUpload = facts.Models;
        var selection = ModelSelection.Parse(fromUpload ?? options.Value.Models);
        var unknown = selection.Unknown(models.Models, models.Unavailable.Select(u => u.Id));
        if (unknown.Count > 0)
        {
            var source = fromUpload is null ? "The setting Pipeline__Models" : "The upload's metadata models";
            throw new ModelSelectionException(
                $"{source}='{selection}' names {string.Join(", ", unknown.Select(u => $"'{u}'"))}, which is no model id or label space here."
                + $" Models: {string.Join(", ", models.Models.Select(m => m.Id))}; label spaces: {string.Join(", ", models.Models.Select(m => m.LabelSpace).Distinct().Order(StringComparer.Ordinal))}.");
        }

        return selection;
    }

    private VideoPlan Plan(VideoProbe probe, ModelSelection selection, IReadOnlyList<double>? cuts)
    {
        var plan = VideoPlanner.Plan(
            probe,
            models.Available.Where(selection.Includes).Select(m => m.Manifest),
            options.Value.Planning(),
            cuts);
        PipelineTelemetry.CurrentSpan?
            .SetTag(TelemetryTags.Views, plan.Views.Count)
            .SetTag(TelemetryTags.Segments, plan.Views.Sum(v => v.Segments.Count))
            .SetTag(TelemetryTags.Clips, plan.Views.Sum(v => v.ClipCount))
            .SetTag(TelemetryTags.Models, plan.Views.SelectMany(v => v.ModelIds).Distinct(StringComparer.Ordinal).Count());
        // Models that cannot run are named when they were asked for: by id, or by label space when the manifest loaded.
        var named = selection.Names.ToHashSet(StringComparer.Ordinal);
        var unavailable = models.Unavailable
            .Where(u => selection.IsAll || named.Contains(u.Id) || models.Models.Any(m => m.Id == u.Id && selection.Includes(m)))
            .ToList();
        return unavailable.Count == 0 ? plan : plan with { UnavailableModels = unavailable };
    }

    /// <summary>
    /// <see cref="TaskNames.ExtractFrames"/>: every clip of every view from one decode of the ranges they need
    /// (<see cref="FrameSource"/>). A plan of one segment per view (a short video) runs every model on the decoded clips
    /// here, as <see cref="InferAsync"/> would, and stores nothing: a separate inference activity per view would cost
    /// more in storage round trips than its inference. Longer plans store the tensors per (view, segment) for
    /// inference to fan out over.
    /// </summary>
    /// <param name="request">The video, its probe and plan, and (for a short video) what its write needs.</param>
    /// <param name="client">For the hand-off of the slot when a short video's results are written here.</param>
    /// <param name="beforeWrite">
    /// For a short video finished inside the preparing activity: settles its <see cref="RunningMark"/> before the final
    /// write, and returns the start to record.
    /// </param>
    public async Task<ExtractOutcome> ExtractAsync(ExtractRequest request, DurableTaskClient client, Func<Task<DateTimeOffset>>? beforeWrite = null)
    {
        var watch = Stopwatch.StartNew();
        var input = await files.GetInputAsync(request.Job, request.Probe.SizeBytes, CancellationToken.None);
        var wanted = PlannedClips.Of(request.Plan);
        var tensors = await frames.ExtractAsync(input, request.Probe, PlannedClips.Requests(wanted), CancellationToken.None);
        await files.EnsureUnchangedAsync(request.Job, input, CancellationToken.None);
        var pictured = options.Value.Pictures
            ? await pictures.WriteAsync(request.Job.VideoId, request.Probe, PlannedClips.Decoded(wanted, tensors), CancellationToken.None)
            : null;
        var extractMs = Math.Round(watch.Elapsed.TotalMilliseconds, 1);
        var parts = PlannedClips.Parts(wanted, tensors);
        PipelineTelemetry.CurrentSpan?
            .SetTag(TelemetryTags.Streamed, input.IsRemote)
            .SetTag(TelemetryTags.Views, request.Plan.Views.Count)
            .SetTag(TelemetryTags.Clips, tensors.Count)
            .SetTag(TelemetryTags.Bytes, tensors.Sum(t => (long)t.Data.Length));

        if (OneSegmentPerView(request.Plan))
        {
            var inferred = new List<InferResult>();
            foreach (var part in parts)
            {
                inferred.AddRange(await RunModelsAsync(request.Job.VideoId, part.View.View.Key, part.Segment, part.View.ModelIds, part.View.Flows ?? [], part.Clips));
            }

            if (request.Write is not { } write)
            {
                return new ExtractOutcome([], extractMs, inferred, pictured);
            }

            // One activity fewer for a short video: the results are written here, under the write's own span.
            var stageMs = new Dictionary<string, double>(write.StageMs, StringComparer.Ordinal)
            {
                ["extract"] = extractMs,
                ["infer"] = Math.Round(watch.Elapsed.TotalMilliseconds - extractMs, 1),
            };
            var startedAt = beforeWrite is null ? write.StartedAt : await beforeWrite();
            var results = new WriteRequest(
                request.Job, request.Probe, inferred, stageMs, startedAt, DateTimeOffset.UtcNow, write.UnavailableModels, request.Plan, request.Plan.Cuts, pictured);
            // The orchestration only needs the outcome now: the per-clip scores stay out of its history.
            var finished = await telemetry.RunAsync(TaskNames.WriteResults, results, r => WriteResultsAsync(r, client));
            return new ExtractOutcome([], extractMs, Finished: finished);
        }

        var stored = parts.Select(p => (Result: new ExtractResult(p.View.View.Key, p.Segment, ArtifactStore.ClipsBlobName(request.Job.VideoId, p.View.View.Key, p.Segment), p.Clips.Count), p.Clips)).ToList();
        await Parallel.ForEachAsync(stored, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (part, ct) => await artifacts.WriteClipsAsync(part.Result.ClipsBlob, part.Clips, ct));
        return new ExtractOutcome([.. stored.Select(p => p.Result)], extractMs, Pictures: pictured);
    }

    /// <summary>
    /// Shot boundaries when <see cref="PipelineOptions.ShotThreshold"/> is set, found before planning so that clips are
    /// planned per shot; null when off, or when detection fails (the video goes on without shots, and the log says why).
    /// </summary>
    private async Task<IReadOnlyList<double>?> DetectShotsAsync(string videoId, MediaInput input)
    {
        if (options.Value.ShotThreshold <= 0)
        {
            return null;
        }

        try
        {
            return await shots.CutsAsync(input, options.Value.ShotThreshold, CancellationToken.None);
        }
        catch (InvalidOperationException ex)
        {
            LogShotsFailed(logger, videoId, ex.Message);
            return null;
        }
    }

    /// <summary>
    /// <see cref="TaskNames.RunInference"/>: every model of one view over one segment's clips, read once; the optical
    /// flows those models read are computed from the same clips first (by the code training used).
    /// </summary>
    public async Task<IReadOnlyList<InferResult>> InferAsync(InferRequest request)
    {
        PipelineTelemetry.CurrentSpan?
            .SetTag(TelemetryTags.View, request.ViewKey)
            .SetTag(TelemetryTags.Segment, request.SegmentIndex)
            .SetTag(TelemetryTags.Models, request.ModelIds.Count);
        var clips = await artifacts.ReadClipsAsync(request.ClipsBlob, CancellationToken.None);
        PipelineTelemetry.CurrentSpan?
            .SetTag(TelemetryTags.Clips, clips.Count)
            .SetTag(TelemetryTags.Bytes, clips.Sum(c => (long)c.Data.Length));
        return await RunModelsAsync(request.VideoId, request.ViewKey, request.SegmentIndex, request.ModelIds, request.Flows, clips);
    }

    /// <summary>
    /// Runs <paramref name="modelIds"/> over one (view, segment)'s clips (<see cref="ModelRunner"/>). Their per-clip
    /// probabilities travel in the result when they are at most <see cref="InlineScoresLimit"/> numbers in all, else in
    /// one blob keyed by model id.
    /// </summary>
    private async Task<IReadOnlyList<InferResult>> RunModelsAsync(
        string videoId, string viewKey, int segmentIndex, IReadOnlyList<string> modelIds, IReadOnlyList<FlowSpec> flows, IReadOnlyList<Core.Tensors.ClipTensor> clips)
    {
        var runs = runner.Run(videoId, viewKey, modelIds, flows, clips);
        var scores = runs.Where(r => r.Scores is not null).ToDictionary(r => r.ModelId, r => r.Scores!, StringComparer.Ordinal);
        string? scoresBlob = null;
        if (scores.Values.Sum(s => s.Sum(c => (long)c.Length)) > InlineScoresLimit)
        {
            scoresBlob = ArtifactStore.ScoresBlobName(videoId, viewKey, segmentIndex);
            await artifacts.WriteJsonAsync(scoresBlob, scores, CancellationToken.None);
        }

        PipelineTelemetry.CurrentSpan?
            .SetTag(TelemetryTags.Provider, string.Join(",", runs.Select(r => r.Provider).Distinct(StringComparer.Ordinal)));
        return [.. runs.Select(r => r.Error is null
            ? new InferResult(r.ModelId, segmentIndex, scoresBlob, r.Provider, clips.Count, r.Ms, scoresBlob is null ? r.Scores : null)
            : new InferResult(r.ModelId, segmentIndex, null, r.Provider, clips.Count, r.Ms, Error: r.Error))];
    }

    /// <summary>
    /// Probabilities per (view, segment) small enough to travel in the durable messages (4,096 floats, about 40 KB of
    /// JSON, under the 45 KB at which the Azure Storage provider moves a message to a blob of its own).
    /// </summary>
    public const int InlineScoresLimit = 4096;

    /// <summary>
    /// <see cref="TaskNames.WriteResults"/>: per model, mean probability over all its clips; across models, the
    /// weighted consensus; then the model rows and the video row.
    /// </summary>
    public async Task<FinishOutcome> WriteResultsAsync(WriteRequest request, DurableTaskClient client)
    {
        var topK = options.Value.TopK;
        var blobs = new Dictionary<string, Dictionary<string, float[][]>>(StringComparer.Ordinal);
        foreach (var blob in request.Inferences.Select(i => i.ScoresBlob).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            blobs[blob] = await artifacts.ReadJsonAsync<Dictionary<string, float[][]>>(blob, CancellationToken.None);
        }

        var perModel = new List<ModelScores>();
        var modelRows = new List<ModelResultRow>();
        var modelTimelines = new List<ModelTimeline>();
        var failed = new List<UnavailableModel>();
        foreach (var group in request.Inferences.GroupBy(i => i.ModelId).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var model = models.Get(group.Key);
            var modelRow = ModelRow(request.Job.VideoId, model, group);
            modelRows.Add(modelRow);
            if (group.FirstOrDefault(p => p.Error is not null) is { } failure)
            {
                // A model that failed on any segment has no answer for the video: its row says why, the others decide.
                failed.Add(new UnavailableModel(group.Key, ReasonCodes.InferenceFailed, failure.Error!));
                modelRow.Status = VideoStatuses.Failed;
                modelRow.ReasonCode = ReasonCodes.InferenceFailed;
                modelRow.Message = failure.Error;
                continue;
            }

            var clipScores = new List<float[]>();
            foreach (var part in group.OrderBy(p => p.SegmentIndex))
            {
                clipScores.AddRange(part.Scores ?? blobs[part.ScoresBlob!][part.ModelId]);
            }

            if (request.Plan is not null)
            {
                modelTimelines.Add(TimelineOf(model, group, blobs, request.Plan, request.Probe.DurationSeconds));
            }

            var mean = Consensus.MeanOverClips(clipScores);
            if (model.Manifest.Output.AveragesLogits)
            {
                // The clips carried raw scores: the activation applies to their mean (TSN's consensus).
                Activations.Apply(model.Manifest.Output.Activation, mean);
            }

            var top = Consensus.TopK(model.Labels, mean, topK);
            perModel.Add(new ModelScores(model.Id, model.Manifest.ConsensusWeight, model.Labels, mean, model.LabelSpace));
            modelRow.TopLabel = top[0].Label;
            modelRow.Confidence = top[0].Confidence;
            modelRow.LabelsJson = JsonSerializer.Serialize(top, PipelineJson.Options);
            modelRow.Clips = clipScores.Count;
        }

        if (perModel.Count == 0)
        {
            return await RecordFailedModelsAsync(request, modelRows, failed, client);
        }

        // One consensus per label space; the first (the space with the most consensus weight) is the video's answer.
        var spaces = Consensus.ByLabelSpace(perModel, topK);
        var consensus = spaces[0].Result;
        var row = FinalRow(VideoStatuses.Completed, request.Job, request.Probe, request.StageMs, request.StartedAt, request.CompletedAt);
        // Open set: a consensus this unsure answers "unknown" rather than forcing its best label (still listed in Labels).
        row.TopLabel = consensus.TopLabels[0].Confidence < options.Value.UnknownBelow ? Consensus.Unknown : consensus.TopLabels[0].Label;
        row.Confidence = consensus.TopLabels[0].Confidence;
        row.LabelsJson = JsonSerializer.Serialize(consensus.TopLabels, PipelineJson.Options);
        row.MajorityLabel = consensus.MajorityLabel;
        row.Agreement = consensus.Agreement;
        row.LabelSpace = spaces[0].LabelSpace;
        row.ConsensusJson = JsonSerializer.Serialize(spaces.Select(ConsensusBlock.Of), PipelineJson.Options);
        row.Provider = string.Join(",", modelRows.SelectMany(m => m.Provider.Split(',')).Distinct().Order(StringComparer.Ordinal));
        row.UnavailableModelsJson = UnavailableJson(request.UnavailableModels);
        row.FailedModelsJson = UnavailableJson(failed);
        row.ModelsJson = JsonSerializer.Serialize(modelRows.Where(m => m.Status is null).Select(m => m.RowKey), PipelineJson.Options);
        if (modelTimelines.Count > 0)
        {
            await resultBlobs.WriteTimelineAsync(new VideoTimeline(request.Job.VideoId, request.Probe.DurationSeconds, modelTimelines, request.Cuts, request.Pictures), CancellationToken.None);
        }

        await results.WriteFinalAsync(row, modelRows, CancellationToken.None);
        PipelineTelemetry.CurrentSpan?
            .SetTag(TelemetryTags.Status, VideoStatuses.Completed)
            .SetTag(TelemetryTags.Models, modelRows.Count)
            .SetTag(TelemetryTags.Provider, row.Provider);
        telemetry.RecordVideo(request.Job.VideoId, VideoStatuses.Completed, null, request.StageMs, request.StartedAt, request.CompletedAt);
        // A short video's clips never left its decode's activity: it has no artifacts to list and delete, unless its
        // per-clip scores were too many to travel in the results.
        var stored = request.Plan is null || !OneSegmentPerView(request.Plan) || request.Inferences.Any(i => i.ScoresBlob is not null);
        return await FinishAsync(request.Job, new VideoOutcome(request.Job.VideoId, VideoStatuses.Completed, row.TopLabel, row.Confidence, null), stored, client, admitted: true);
    }

    /// <summary>Every model that ran failed: the video fails with their reasons, and each keeps its own Failed row.</summary>
    private Task<FinishOutcome> RecordFailedModelsAsync(WriteRequest request, List<ModelResultRow> modelRows, List<UnavailableModel> failed, DurableTaskClient client)
    {
        var failure = new VideoFailure(
            ReasonCodes.InferenceFailed,
            $"Every model failed: {string.Join("; ", failed.Select(f => $"{f.Id}: {f.Message}"))}");
        return WriteFailureAsync(
            new FailureRequest(request.Job, failure, request.Probe, request.StageMs, request.StartedAt, request.CompletedAt, request.UnavailableModels),
            modelRows,
            failed,
            client);
    }

    /// <summary><see cref="TaskNames.RecordFailure"/>: the row says Failed with the reason code and message.</summary>
    public Task<FinishOutcome> RecordFailureAsync(FailureRequest request, DurableTaskClient client) => WriteFailureAsync(request, [], null, client);

    /// <summary><see cref="TaskNames.SweepAdmission"/>: one look after the line of waiting videos (<see cref="AdmissionStore.SweepAsync"/>).</summary>
    public async Task<SweepOutcome> SweepAdmissionAsync(SweepRequest request, DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (woken, waiting) = await admission.SweepAsync(CancellationToken.None);
        await starter.WakeAsync(client, woken, CancellationToken.None);
        return new SweepOutcome([.. woken.Select(h => h.VideoId)], waiting);
    }

    /// <summary>The Failed row with its reason, the rows of models that ran and failed (if any), then the video's hand-off.</summary>
    private async Task<FinishOutcome> WriteFailureAsync(FailureRequest request, IReadOnlyList<ModelResultRow> modelRows, IReadOnlyList<UnavailableModel>? failedModels, DurableTaskClient client)
    {
        var row = FinalRow(VideoStatuses.Failed, request.Job, request.Probe, request.StageMs, request.StartedAt, request.CompletedAt);
        row.ReasonCode = request.Failure.ReasonCode;
        row.Message = request.Failure.Message;
        row.UnavailableModelsJson = UnavailableJson(request.UnavailableModels);
        row.FailedModelsJson = UnavailableJson(failedModels);
        await results.WriteFinalAsync(row, modelRows, CancellationToken.None);
        PipelineTelemetry.CurrentSpan?
            .SetTag(TelemetryTags.Status, VideoStatuses.Failed)
            .SetTag(TelemetryTags.ReasonCode, request.Failure.ReasonCode);
        telemetry.RecordVideo(request.Job.VideoId, VideoStatuses.Failed, request.Failure.ReasonCode, request.StageMs, request.StartedAt, request.CompletedAt);
        return await FinishAsync(request.Job, new VideoOutcome(request.Job.VideoId, VideoStatuses.Failed, null, null, request.Failure), true, client);
    }

    /// <summary>
    /// After the final row is stored: delete the video's artifacts (when it <paramref name="stored"/> any) and local
    /// copy (best effort: leftovers are only storage, under the video's prefix), then give its slot to the next in line
    /// (and its place in line, unless it ran and so was <paramref name="admitted"/>), starting or waking whom it went to.
    /// </summary>
    private async Task<FinishOutcome> FinishAsync(VideoJob job, VideoOutcome outcome, bool stored, DurableTaskClient client, bool admitted = false)
    {
        files.Evict(job.VideoId);
        try
        {
            var deleted = stored ? await artifacts.DeleteAllAsync(job.VideoId, CancellationToken.None) : 0;
            PipelineTelemetry.CurrentSpan?.SetTag(TelemetryTags.Blobs, deleted);
        }
        catch (Azure.RequestFailedException ex)
        {
            LogArtifactsLeft(logger, job.VideoId, ex.Message);
        }

        var handed = await admission.ReleaseAsync(job, CancellationToken.None, admitted);
        await starter.WakeAsync(client, handed, CancellationToken.None);
        return new FinishOutcome(outcome, [.. handed.Select(h => h.VideoId)]);
    }

    /// <summary>A model's row with what every run of it says, answered or failed: where it ran and for how long.</summary>
    private static ModelResultRow ModelRow(string videoId, LoadedModel model, IEnumerable<InferResult> parts) => new()
    {
        PartitionKey = videoId,
        RowKey = model.Id,
        Family = model.Manifest.Family,
        LabelSpace = model.LabelSpace,
        Provider = string.Join(",", parts.Select(p => p.Provider).Distinct().Order(StringComparer.Ordinal)),
        InferenceMs = Math.Round(parts.Sum(p => p.ElapsedMs), 1),
    };

    /// <summary>
    /// One model's clips in time order with where each lies in the video (from the plan) and its probabilities: a clip
    /// seen through several test-time crops gets the mean over them, and raw scores (<c>average: logits</c>) get the
    /// model's activation clip by clip.
    /// </summary>
    private static ModelTimeline TimelineOf(
        LoadedModel model, IEnumerable<InferResult> parts, Dictionary<string, Dictionary<string, float[][]>> blobs, VideoPlan plan, double durationSeconds)
    {
        var view = plan.Views.First(v => v.ModelIds.Contains(model.Id, StringComparer.Ordinal));
        var clips = new List<ClipScores>();
        foreach (var segment in parts.GroupBy(p => p.SegmentIndex).OrderBy(g => g.Key))
        {
            var spans = view.Segments.Single(s => s.Index == segment.Key).Clips;
            var crops = segment.Select(p => p.Scores ?? blobs[p.ScoresBlob!][p.ModelId]).ToList();
            for (var c = 0; c < spans.Count; c++)
            {
                var probabilities = Consensus.MeanOverClips([.. crops.Select(crop => crop[c])]);
                if (model.Manifest.Output.AveragesLogits)
                {
                    Activations.Apply(model.Manifest.Output.Activation, probabilities);
                }

                var (start, end) = spans[c].Extent(view.View, durationSeconds);
                clips.Add(new ClipScores(Math.Round(start, 3), Math.Round(end, 3), probabilities));
            }
        }

        return new ModelTimeline(model.Id, model.Manifest.ConsensusWeight, model.Labels, model.LabelSpace, [.. clips.OrderBy(c => c.Start)]);
    }

    private static string? UnavailableJson(IReadOnlyList<UnavailableModel>? models) =>
        models is { Count: > 0 } ? JsonSerializer.Serialize(models, PipelineJson.Options) : null;

    /// <summary>The final row's columns both outcomes share; the caller adds what only it knows.</summary>
    private static VideoRow FinalRow(
        string status, VideoJob job, VideoProbe? probe, IReadOnlyDictionary<string, double> stageMs, DateTimeOffset startedAt, DateTimeOffset completedAt)
    {
        var row = VideoRow.Of(job, status);
        row.StartedAt = startedAt;
        row.CompletedAt = completedAt;
        row.DurationSeconds = probe?.DurationSeconds;
        row.Fps = probe?.Fps;
        row.Width = probe?.Width;
        row.Height = probe?.Height;
        row.Rotation = probe?.Rotation;
        row.Codec = probe?.Codec;
        row.Format = probe?.Format;
        row.SizeBytes = probe?.SizeBytes;
        row.TimingsJson = JsonSerializer.Serialize(stageMs, PipelineJson.Options);
        return row;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Artifacts of video {VideoId} were left in storage: {Reason}")]
    private static partial void LogArtifactsLeft(ILogger logger, string videoId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Marking video {VideoId} Running failed; its row keeps its status until its next write")]
    private static partial void LogMarkFailed(ILogger logger, string videoId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Video {VideoId} refused: {ReasonCode} {Reason}")]
    private static partial void LogRejected(ILogger logger, string videoId, string reasonCode, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shot detection failed for video {VideoId}; it goes on without shots: {Reason}")]
    private static partial void LogShotsFailed(ILogger logger, string videoId, string reason);

}
