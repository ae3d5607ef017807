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
    FrameExtractor extractor,
    ModelRegistry models,
    PipelineTelemetry telemetry,
    IOptions<PipelineOptions> options,
    ILogger<VideoActivities> logger)
{
    /// <summary><see cref="TaskNames.MarkRunning"/>: the row shows Running with its start time.</summary>
    public async Task<bool> MarkRunningAsync(RunningRequest request)
    {
        var row = await results.GetAsync(request.Job.VideoId, CancellationToken.None);
        if (row is not null && VideoStatuses.IsFinal(row.Status))
        {
            return false;
        }

        await results.MergeAsync(new VideoRow
        {
            PartitionKey = request.Job.VideoId,
            Status = VideoStatuses.Running,
            Container = request.Job.Container,
            BlobName = request.Job.BlobName,
            BlobETag = request.Job.ETag,
            SubmittedAt = request.Job.SubmittedAt,
            StartedAt = request.StartedAt,
        }, CancellationToken.None);
        return true;
    }

    /// <summary><see cref="TaskNames.ProbeVideo"/>: size check without download, then ffprobe on the local copy.</summary>
    public async Task<ProbeOutcome> ProbeAsync(VideoJob job)
    {
        try
        {
            var size = await files.GetSizeAsync(job, CancellationToken.None);
            PipelineTelemetry.CurrentSpan?.SetTag(TelemetryTags.Bytes, size);
            prober.CheckSize(size);
            var path = await files.GetLocalPathAsync(job, CancellationToken.None);
            var probe = await prober.ProbeAsync(path, CancellationToken.None);
            return new ProbeOutcome(probe, null);
        }
        catch (MediaRejectedException ex)
        {
            LogRejected(logger, job.VideoId, ex.ReasonCode, ex.Detail);
            // A refusal is the activity's answer, not its failure: the span stays ok and says why.
            PipelineTelemetry.CurrentSpan?.SetTag(TelemetryTags.ReasonCode, ex.ReasonCode);
            return new ProbeOutcome(null, new VideoFailure(ex.ReasonCode, ex.Detail));
        }
    }

    /// <summary>
    /// <see cref="TaskNames.PlanVideo"/>: views, clips and segments for every model that loads; the ones that cannot
    /// are named in <see cref="VideoPlan.UnavailableModels"/> (the first plan of a process opens every session).
    /// </summary>
    public Task<VideoPlan> PlanAsync(PlanRequest request)
    {
        var plan = VideoPlanner.Plan(
            request.Probe,
            models.Available.Select(m => m.Manifest),
            new PlanOptions { ClipsPerSegment = options.Value.ClipsPerSegment });
        PipelineTelemetry.CurrentSpan?
            .SetTag(TelemetryTags.Views, plan.Views.Count)
            .SetTag(TelemetryTags.Segments, plan.Views.Sum(v => v.Segments.Count))
            .SetTag(TelemetryTags.Clips, plan.Views.Sum(v => v.ClipCount))
            .SetTag(TelemetryTags.Models, plan.Views.SelectMany(v => v.ModelIds).Distinct(StringComparer.Ordinal).Count());
        var unavailable = models.Unavailable;
        return Task.FromResult(unavailable.Count == 0 ? plan : plan with { UnavailableModels = unavailable });
    }

    /// <summary><see cref="TaskNames.ExtractFrames"/>: decode the segment's clips and store them as tensors.</summary>
    public async Task<ExtractResult> ExtractAsync(ExtractRequest request)
    {
        var watch = Stopwatch.StartNew();
        var path = await files.GetLocalPathAsync(request.Job, CancellationToken.None);
        var names = new List<string>(request.Segment.Clips.Count);
        var bytes = 0L;
        foreach (var clip in request.Segment.Clips)
        {
            var tensor = await extractor.ExtractAsync(path, request.View, clip, CancellationToken.None);
            var name = ArtifactStore.ClipBlobName(request.Job.VideoId, request.View.Key, clip.Index);
            await artifacts.WriteClipAsync(name, tensor, CancellationToken.None);
            names.Add(name);
            bytes += tensor.Data.Length;
        }

        PipelineTelemetry.CurrentSpan?
            .SetTag(TelemetryTags.View, request.View.Key)
            .SetTag(TelemetryTags.Segment, request.Segment.Index)
            .SetTag(TelemetryTags.Clips, names.Count)
            .SetTag(TelemetryTags.Bytes, bytes);

        return new ExtractResult(request.View.Key, request.Segment.Index, names, Math.Round(watch.Elapsed.TotalMilliseconds, 1));
    }

    /// <summary>
    /// <see cref="TaskNames.ComputeFlow"/>: optical flow between consecutive frames of each clip of a segment, quantised
    /// to bytes by the same code training used, stored beside the clip.
    /// </summary>
    public async Task<FlowResult> ComputeFlowAsync(FlowRequest request)
    {
        var watch = Stopwatch.StartNew();
        var names = new List<string>(request.ClipBlobs.Count);
        var bytes = 0L;
        foreach (var blob in request.ClipBlobs)
        {
            var clip = await artifacts.ReadClipAsync(blob, CancellationToken.None);
            var flow = FlowStack.Compute(clip, request.Flow);
            var name = ArtifactStore.FlowBlobName(request.VideoId, request.ViewKey, request.Flow.Key, ArtifactStore.ClipIndexOf(blob));
            await artifacts.WriteClipAsync(name, flow, CancellationToken.None);
            names.Add(name);
            bytes += flow.Data.Length;
        }

        PipelineTelemetry.CurrentSpan?
            .SetTag(TelemetryTags.View, request.ViewKey)
            .SetTag(TelemetryTags.Flow, request.Flow.Key)
            .SetTag(TelemetryTags.Segment, request.SegmentIndex)
            .SetTag(TelemetryTags.Clips, names.Count)
            .SetTag(TelemetryTags.Bytes, bytes);

        return new FlowResult(request.ViewKey, request.Flow.Key, request.SegmentIndex, names, Math.Round(watch.Elapsed.TotalMilliseconds, 1));
    }

    /// <summary><see cref="TaskNames.RunInference"/>: one model over one segment's clips; per-clip probabilities go to a blob.</summary>
    public async Task<InferResult> InferAsync(InferRequest request)
    {
        var span = PipelineTelemetry.CurrentSpan?
            .SetTag(TelemetryTags.ModelId, request.ModelId)
            .SetTag(TelemetryTags.Segment, request.SegmentIndex);
        var session = models.Session(request.ModelId);
        span?.SetTag(TelemetryTags.Provider, session.Provider);
        var bytes = 0L;
        var streams = new Dictionary<string, IReadOnlyList<Core.Tensors.ClipTensor>>(StringComparer.Ordinal);
        // Only the streams this model reads: a view's other models may have asked for flows it does not need.
        foreach (var key in session.StreamKeys)
        {
            if (!request.Streams.TryGetValue(key, out var blobs))
            {
                throw new InvalidOperationException($"Model '{request.ModelId}' reads stream '{key}', which segment {request.SegmentIndex} does not have.");
            }

            var clips = new List<Core.Tensors.ClipTensor>(blobs.Count);
            foreach (var blob in blobs)
            {
                var clip = await artifacts.ReadClipAsync(blob, CancellationToken.None);
                clips.Add(clip);
                bytes += clip.Data.Length;
            }

            streams[key] = clips;
        }

        var watch = Stopwatch.StartNew();
        var probabilities = session.Run(streams);
        var elapsed = Math.Round(watch.Elapsed.TotalMilliseconds, 1);
        var scoresBlob = ArtifactStore.ScoresBlobName(request.VideoId, request.ModelId, request.SegmentIndex);
        await artifacts.WriteJsonAsync(scoresBlob, probabilities, CancellationToken.None);
        span?.SetTag(TelemetryTags.Clips, probabilities.Length).SetTag(TelemetryTags.Bytes, bytes);
        return new InferResult(request.ModelId, request.SegmentIndex, scoresBlob, session.Provider, probabilities.Length, elapsed);
    }

    /// <summary>
    /// <see cref="TaskNames.WriteResults"/>: per model, mean probability over all its clips; across models, the
    /// weighted consensus; then the model rows and the video row.
    /// </summary>
    public async Task<VideoOutcome> WriteResultsAsync(WriteRequest request)
    {
        var topK = options.Value.TopK;
        var perModel = new List<ModelScores>();
        var modelRows = new List<ModelResultRow>();
        foreach (var group in request.Inferences.GroupBy(i => i.ModelId).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var clipScores = new List<float[]>();
            foreach (var part in group.OrderBy(p => p.SegmentIndex))
            {
                clipScores.AddRange(await artifacts.ReadJsonAsync<float[][]>(part.ScoresBlob, CancellationToken.None));
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
        var row = BaseRow(request.Job, request.Probe, request.StageMs, request.StartedAt, request.CompletedAt);
        row.Status = VideoStatuses.Completed;
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
        return new VideoOutcome(request.Job.VideoId, VideoStatuses.Completed, row.TopLabel, row.Confidence, null);
    }

    /// <summary><see cref="TaskNames.RecordFailure"/>: the row says Failed with the reason code and message.</summary>
    public async Task<VideoOutcome> RecordFailureAsync(FailureRequest request)
    {
        var row = BaseRow(request.Job, request.Probe, request.StageMs, request.StartedAt, request.CompletedAt);
        row.Status = VideoStatuses.Failed;
        row.ReasonCode = request.Failure.ReasonCode;
        row.Message = request.Failure.Message;
        row.UnavailableModelsJson = UnavailableJson(request.UnavailableModels);
        await results.WriteFinalAsync(row, [], CancellationToken.None);
        PipelineTelemetry.CurrentSpan?
            .SetTag(TelemetryTags.Status, VideoStatuses.Failed)
            .SetTag(TelemetryTags.ReasonCode, request.Failure.ReasonCode);
        telemetry.RecordVideo(request.Job.VideoId, VideoStatuses.Failed, request.Failure.ReasonCode, request.StageMs, request.StartedAt, request.CompletedAt);
        return new VideoOutcome(request.Job.VideoId, VideoStatuses.Failed, null, null, request.Failure);
    }

    /// <summary><see cref="TaskNames.DeleteArtifacts"/>: every blob under the video's prefix and this worker's local copy.</summary>
    public async Task<int> DeleteArtifactsAsync(string videoId)
    {
        files.Evict(videoId);
        var deleted = await artifacts.DeleteAllAsync(videoId, CancellationToken.None);
        PipelineTelemetry.CurrentSpan?.SetTag(TelemetryTags.Blobs, deleted);
        return deleted;
    }

    private static string? UnavailableJson(IReadOnlyList<UnavailableModel>? models) =>
        models is { Count: > 0 } ? JsonSerializer.Serialize(models, PipelineJson.Options) : null;

    private static VideoRow BaseRow(VideoJob job, VideoProbe? probe, IReadOnlyDictionary<string, double> stageMs, DateTimeOffset startedAt, DateTimeOffset completedAt) => new()
    {
        PartitionKey = job.VideoId,
        Container = job.Container,
        BlobName = job.BlobName,
        BlobETag = job.ETag,
        SubmittedAt = job.SubmittedAt,
        StartedAt = startedAt,
        CompletedAt = completedAt,
        DurationSeconds = probe?.DurationSeconds,
        Fps = probe?.Fps,
        Width = probe?.Width,
        Height = probe?.Height,
        Rotation = probe?.Rotation,
        Codec = probe?.Codec,
        Format = probe?.Format,
        SizeBytes = probe?.SizeBytes,
        TimingsJson = JsonSerializer.Serialize(stageMs, PipelineJson.Options),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Video {VideoId} refused: {ReasonCode} {Reason}")]
    private static partial void LogRejected(ILogger logger, string videoId, string reasonCode, string reason);
}
