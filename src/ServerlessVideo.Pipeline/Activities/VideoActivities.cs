using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessVideo.Core;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Core.Planning;
using ServerlessVideo.Core.Results;
using ServerlessVideo.Inference;
using ServerlessVideo.Media;
using ServerlessVideo.Media.Flow;
using ServerlessVideo.Pipeline.Messages;
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
    ResultStore results,
    VideoProber prober,
    FrameSource frames,
    AdmissionStore admission,
    ModelRegistry models,
    PipelineTelemetry telemetry,
    IOptions<PipelineOptions> options,
    ILogger<VideoActivities> logger)
{
    /// <summary>
    /// <see cref="TaskNames.PrepareVideo"/>: take a processing slot or a place in line; once admitted, mark the row
    /// Running, check the size without downloading, probe the local copy and plan every model that loads (the ones that
    /// cannot are named in <see cref="VideoPlan.UnavailableModels"/>).
    /// </summary>
    public async Task<PrepareOutcome> PrepareAsync(PrepareRequest request)
    {
        var job = request.Job;
        var (admitted, position) = await admission.TryAdmitAsync(job, CancellationToken.None);
        if (!admitted)
        {
            PipelineTelemetry.CurrentSpan?.SetTag(TelemetryTags.QueuePosition, position);
            return PrepareOutcome.Queued(position);
        }

        var startedAt = await MarkRunningAsync(job, request.Now);
        try
        {
            var size = await files.GetSizeAsync(job, CancellationToken.None);
            PipelineTelemetry.CurrentSpan?.SetTag(TelemetryTags.Bytes, size);
            prober.CheckSize(size);
            var path = await files.GetLocalPathAsync(job, CancellationToken.None);
            var probe = await prober.ProbeAsync(path, CancellationToken.None);
            return new PrepareOutcome(true, 0, startedAt, probe, Plan(probe), null);
        }
        catch (MediaRejectedException ex)
        {
            LogRejected(logger, job.VideoId, ex.ReasonCode, ex.Detail);
            // A refusal is the activity's answer, not its failure: the span stays ok and says why.
            PipelineTelemetry.CurrentSpan?.SetTag(TelemetryTags.ReasonCode, ex.ReasonCode);
            return new PrepareOutcome(true, 0, startedAt, null, null, new VideoFailure(ex.ReasonCode, ex.Detail));
        }
    }

    /// <summary>The row shows Running from <paramref name="now"/>; a retry keeps the first start. A final row is left alone.</summary>
    private async Task<DateTimeOffset> MarkRunningAsync(VideoJob job, DateTimeOffset now)
    {
        var row = await results.GetAsync(job.VideoId, CancellationToken.None);
        if (row is not null && (VideoStatuses.IsFinal(row.Status) || row.Status == VideoStatuses.Running) && row.StartedAt is { } started)
        {
            return started;
        }

        var running = VideoRow.Of(job, VideoStatuses.Running);
        running.StartedAt = now;
        await results.MergeAsync(running, CancellationToken.None);
        return now;
    }

    private VideoPlan Plan(VideoProbe probe)
    {
        var plan = VideoPlanner.Plan(
            probe,
            models.Available.Select(m => m.Manifest),
            new PlanOptions { ClipsPerSegment = options.Value.ClipsPerSegment });
        PipelineTelemetry.CurrentSpan?
            .SetTag(TelemetryTags.Views, plan.Views.Count)
            .SetTag(TelemetryTags.Segments, plan.Views.Sum(v => v.Segments.Count))
            .SetTag(TelemetryTags.Clips, plan.Views.Sum(v => v.ClipCount))
            .SetTag(TelemetryTags.Models, plan.Views.SelectMany(v => v.ModelIds).Distinct(StringComparer.Ordinal).Count());
        var unavailable = models.Unavailable;
        return unavailable.Count == 0 ? plan : plan with { UnavailableModels = unavailable };
    }

    /// <summary>
    /// <see cref="TaskNames.ExtractFrames"/>: every clip of every view from one decode of the ranges they need
    /// (<see cref="FrameSource"/>), stored as tensors.
    /// </summary>
    public async Task<ExtractOutcome> ExtractAsync(ExtractRequest request)
    {
        var watch = Stopwatch.StartNew();
        var path = await files.GetLocalPathAsync(request.Job, CancellationToken.None);
        var wanted = (
            from view in request.Plan.Views
            from segment in view.Segments
            from clip in segment.Clips
            select (View: view.View, Segment: segment.Index, Clip: clip)).ToList();
        var tensors = await frames.ExtractAsync(path, request.Probe, [.. wanted.Select(w => new ClipRequest(w.View, w.Clip))], CancellationToken.None);
        var parts = wanted.Select((w, i) => (w.View.Key, w.Segment, Tensor: tensors[i]))
            .GroupBy(p => (p.Key, p.Segment))
            .Select(g => (Result: new ExtractResult(g.Key.Key, g.Key.Segment, ArtifactStore.ClipsBlobName(request.Job.VideoId, g.Key.Key, g.Key.Segment), g.Count()),
                Clips: g.Select(p => p.Tensor).ToList()))
            .ToList();
        await Parallel.ForEachAsync(parts, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (part, ct) => await artifacts.WriteClipsAsync(part.Result.ClipsBlob, part.Clips, ct));
        PipelineTelemetry.CurrentSpan?
            .SetTag(TelemetryTags.Views, request.Plan.Views.Count)
            .SetTag(TelemetryTags.Clips, tensors.Count)
            .SetTag(TelemetryTags.Bytes, tensors.Sum(t => (long)t.Data.Length));
        return new ExtractOutcome([.. parts.Select(p => p.Result)], Math.Round(watch.Elapsed.TotalMilliseconds, 1));
    }

    /// <summary>
    /// <see cref="TaskNames.RunInference"/>: every model of one view over one segment's clips, read once; the optical
    /// flows those models read are computed from the same clips first (by the code training used). All models'
    /// per-clip probabilities go to one blob.
    /// </summary>
    public async Task<IReadOnlyList<InferResult>> InferAsync(InferRequest request)
    {
        var span = PipelineTelemetry.CurrentSpan?
            .SetTag(TelemetryTags.View, request.ViewKey)
            .SetTag(TelemetryTags.Segment, request.SegmentIndex)
            .SetTag(TelemetryTags.Models, request.ModelIds.Count);
        var clips = await artifacts.ReadClipsAsync(request.ClipsBlob, CancellationToken.None);
        var streams = new Dictionary<string, IReadOnlyList<Core.Tensors.ClipTensor>>(StringComparer.Ordinal) { [ModelInput.Rgb] = clips };
        foreach (var flow in request.Flows)
        {
            streams[flow.Key] = [.. clips.Select(c => FlowStack.Compute(c, flow))];
        }

        var scoresBlob = ArtifactStore.ScoresBlobName(request.VideoId, request.ViewKey, request.SegmentIndex);
        var scores = new Dictionary<string, float[][]>(StringComparer.Ordinal);
        var inferred = new List<InferResult>(request.ModelIds.Count);
        foreach (var modelId in request.ModelIds)
        {
            var session = models.Session(modelId);
            var missing = session.StreamKeys.Where(k => !streams.ContainsKey(k)).ToList();
            if (missing.Count > 0)
            {
                throw new InvalidOperationException($"Model '{modelId}' reads stream(s) {string.Join(", ", missing)}, which view {request.ViewKey} does not compute.");
            }

            var watch = Stopwatch.StartNew();
            scores[modelId] = session.Run(streams);
            inferred.Add(new InferResult(modelId, request.SegmentIndex, scoresBlob, session.Provider, clips.Count, Math.Round(watch.Elapsed.TotalMilliseconds, 1)));
        }

        await artifacts.WriteJsonAsync(scoresBlob, scores, CancellationToken.None);
        span?.SetTag(TelemetryTags.Clips, clips.Count)
            .SetTag(TelemetryTags.Bytes, clips.Sum(c => (long)c.Data.Length))
            .SetTag(TelemetryTags.Provider, string.Join(",", inferred.Select(i => i.Provider).Distinct(StringComparer.Ordinal)));
        return inferred;
    }

    /// <summary>
    /// <see cref="TaskNames.WriteResults"/>: per model, mean probability over all its clips; across models, the
    /// weighted consensus; then the model rows and the video row.
    /// </summary>
    public async Task<FinishOutcome> WriteResultsAsync(WriteRequest request)
    {
        var topK = options.Value.TopK;
        var blobs = new Dictionary<string, Dictionary<string, float[][]>>(StringComparer.Ordinal);
        foreach (var blob in request.Inferences.Select(i => i.ScoresBlob).Distinct(StringComparer.Ordinal))
        {
            blobs[blob] = await artifacts.ReadJsonAsync<Dictionary<string, float[][]>>(blob, CancellationToken.None);
        }

        var perModel = new List<ModelScores>();
        var modelRows = new List<ModelResultRow>();
        foreach (var group in request.Inferences.GroupBy(i => i.ModelId).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var clipScores = new List<float[]>();
            foreach (var part in group.OrderBy(p => p.SegmentIndex))
            {
                clipScores.AddRange(blobs[part.ScoresBlob][part.ModelId]);
            }

            var model = models.Get(group.Key);
            var mean = Consensus.MeanOverClips(clipScores);
            var top = Consensus.TopK(model.Labels, mean, topK);
            perModel.Add(new ModelScores(model.Id, model.Manifest.ConsensusWeight, model.Labels, mean));
            modelRows.Add(new ModelResultRow
            {
                PartitionKey = request.Job.VideoId,
                RowKey = model.Id,
                Family = model.Manifest.Family,
                TopLabel = top[0].Label,
                Confidence = top[0].Confidence,
                LabelsJson = JsonSerializer.Serialize(top, PipelineJson.Options),
                Provider = string.Join(",", group.Select(g => g.Provider).Distinct().Order(StringComparer.Ordinal)),
                Clips = clipScores.Count,
                InferenceMs = Math.Round(group.Sum(g => g.ElapsedMs), 1),
            });
        }

        var consensus = Consensus.AcrossModels(perModel, topK);
        var row = FinalRow(VideoStatuses.Completed, request.Job, request.Probe, request.StageMs, request.StartedAt, request.CompletedAt);
        row.TopLabel = consensus.TopLabels[0].Label;
        row.Confidence = consensus.TopLabels[0].Confidence;
        row.LabelsJson = JsonSerializer.Serialize(consensus.TopLabels, PipelineJson.Options);
        row.MajorityLabel = consensus.MajorityLabel;
        row.Agreement = consensus.Agreement;
        row.ModelsJson = JsonSerializer.Serialize(modelRows.Select(m => m.RowKey), PipelineJson.Options);
        row.Provider = string.Join(",", modelRows.SelectMany(m => m.Provider.Split(',')).Distinct().Order(StringComparer.Ordinal));
        row.UnavailableModelsJson = UnavailableJson(request.UnavailableModels);
        await results.WriteFinalAsync(row, modelRows, CancellationToken.None);
        PipelineTelemetry.CurrentSpan?
            .SetTag(TelemetryTags.Status, VideoStatuses.Completed)
            .SetTag(TelemetryTags.Models, modelRows.Count)
            .SetTag(TelemetryTags.Provider, row.Provider);
        telemetry.RecordVideo(request.Job.VideoId, VideoStatuses.Completed, null, request.StageMs, request.StartedAt, request.CompletedAt);
        return await FinishAsync(request.Job, new VideoOutcome(request.Job.VideoId, VideoStatuses.Completed, row.TopLabel, row.Confidence, null));
    }

    /// <summary><see cref="TaskNames.RecordFailure"/>: the row says Failed with the reason code and message.</summary>
    public async Task<FinishOutcome> RecordFailureAsync(FailureRequest request)
    {
        var row = FinalRow(VideoStatuses.Failed, request.Job, request.Probe, request.StageMs, request.StartedAt, request.CompletedAt);
        row.ReasonCode = request.Failure.ReasonCode;
        row.Message = request.Failure.Message;
        row.UnavailableModelsJson = UnavailableJson(request.UnavailableModels);
        await results.WriteFinalAsync(row, [], CancellationToken.None);
        PipelineTelemetry.CurrentSpan?
            .SetTag(TelemetryTags.Status, VideoStatuses.Failed)
            .SetTag(TelemetryTags.ReasonCode, request.Failure.ReasonCode);
        telemetry.RecordVideo(request.Job.VideoId, VideoStatuses.Failed, request.Failure.ReasonCode, request.StageMs, request.StartedAt, request.CompletedAt);
        return await FinishAsync(request.Job, new VideoOutcome(request.Job.VideoId, VideoStatuses.Failed, null, null, request.Failure));
    }

    /// <summary>
    /// After the final row is stored: delete the video's artifacts and local copy (best effort: leftovers are only
    /// storage, under the video's prefix), then give its slot to the next in line.
    /// </summary>
    private async Task<FinishOutcome> FinishAsync(VideoJob job, VideoOutcome outcome)
    {
        files.Evict(job.VideoId);
        try
        {
            var deleted = await artifacts.DeleteAllAsync(job.VideoId, CancellationToken.None);
            PipelineTelemetry.CurrentSpan?.SetTag(TelemetryTags.Blobs, deleted);
        }
        catch (Azure.RequestFailedException ex)
        {
            LogArtifactsLeft(logger, job.VideoId, ex.Message);
        }

        var admitted = await admission.ReleaseAsync(job, CancellationToken.None);
        return new FinishOutcome(outcome, admitted);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Video {VideoId} refused: {ReasonCode} {Reason}")]
    private static partial void LogRejected(ILogger logger, string videoId, string reasonCode, string reason);
}
