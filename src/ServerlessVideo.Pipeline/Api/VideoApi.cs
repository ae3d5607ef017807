using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessVideo.Core;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Core.Results;
using ServerlessVideo.Inference;
using ServerlessVideo.Pipeline.Activities;
using ServerlessVideo.Pipeline.Messages;
using ServerlessVideo.Pipeline.Orchestration;
using ServerlessVideo.Pipeline.Storage;

namespace ServerlessVideo.Pipeline.Api;

/// <summary>
/// The HTTP routes' logic, shared by every host: <c>GET /api/videos/{id}</c>, <c>GET /api/videos?limit=&amp;cursor=</c>
/// and <c>GET /api/health</c>. Rows are the truth; while a video runs, the orchestration's custom status adds stage and
/// percent, and a row whose orchestration has ended without writing it is reported as Failed rather than Running
/// forever. Every storage read of a request (table rows, the durable client's instance lookup) shares one budget,
/// <see cref="PipelineOptions.ApiTimeout"/>: when storage does not answer within it, or fails, the answer is 503
/// <c>{"error":"storage_unavailable"}</c> with <c>Retry-After</c>, never a hang or a 500.
/// </summary>
public sealed partial class VideoApi(
    ResultQueries results, ResultBlobStore resultBlobs, VideoMaintenance maintenance, ModelRegistry models, AdmissionStore admission, IOptions<PipelineOptions> options, ILogger<VideoApi> logger)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    /// <summary>Seconds a 503 asks the caller to wait before trying again (<c>Retry-After</c>).</summary>
    public const int RetryAfterSeconds = 5;

    public Task<ApiResponse> GetVideoAsync(DurableTaskClient client, string id, CancellationToken cancellationToken) =>
        WithinBudgetAsync("GET /api/videos/{id}", budget => GetVideoCoreAsync(client, id, budget), cancellationToken);

    /// <summary><c>GET /api/videos</c>: newest first, filtered by <see cref="VideoListQuery"/>.</summary>
    public Task<ApiResponse> ListVideosAsync(DurableTaskClient client, VideoListQuery query, CancellationToken cancellationToken) =>
        WithinBudgetAsync("GET /api/videos", budget => ListVideosCoreAsync(client, query, budget), cancellationToken);

    /// <summary>
    /// <c>GET /api/videos/{id}/timeline</c> (<see cref="TimelineResource"/>): 409 <c>not_completed</c> until the video is
    /// Completed; 404 <c>no_timeline</c> for a video completed before timelines were kept.
    /// </summary>
    public Task<ApiResponse> GetTimelineAsync(string id, CancellationToken cancellationToken) =>
        WithinBudgetAsync("GET /api/videos/{id}/timeline", budget => GetTimelineCoreAsync(id, budget), cancellationToken);

    /// <summary>
    /// <c>DELETE /api/videos/{id}[?blob=true]</c>: the video's rows, timeline and history, and with <c>blob=true</c> its
    /// upload if still that version. 409 <c>not_finished</c> while it is Queued or Running.
    /// </summary>
    public Task<ApiResponse> DeleteVideoAsync(DurableTaskClient client, string id, string? blob, CancellationToken cancellationToken) =>
        WithinBudgetAsync("DELETE /api/videos/{id}", async budget =>
        {
            if (!bool.TryParse(blob ?? "false", out var deleteUpload))
            {
                return Error(400, "invalid_blob", "blob must be true or false.");
            }

            var (row, refusal) = await FinishedRowAsync(client, id, budget);
            if (row is null)
            {
                return refusal!;
            }

            var blobDeleted = await maintenance.DeleteAsync(client, row, deleteUpload, budget);
            return new ApiResponse(200, JsonSerializer.Serialize(new { id, deleted = true, blobDeleted }, PipelineJson.Options));
        }, cancellationToken);

    /// <summary>
    /// <c>POST /api/videos/{id}/reprocess</c>: runs a finished video again from its upload, under the same id; 202 with
    /// the Queued video. 409 <c>not_finished</c> while it runs, 409 <c>upload_changed</c> when that blob version is gone.
    /// </summary>
    public Task<ApiResponse> ReprocessVideoAsync(DurableTaskClient client, string id, CancellationToken cancellationToken) =>
        WithinBudgetAsync("POST /api/videos/{id}/reprocess", async budget =>
        {
            var (row, refusal) = await FinishedRowAsync(client, id, budget);
            if (row is null)
            {
                return refusal!;
            }

            if (!await maintenance.ReprocessAsync(client, row, budget))
            {
                return Error(409, "upload_changed", $"The upload of video '{id}' ({row.Container}/{row.BlobName}, ETag {row.BlobETag}) was deleted or overwritten; upload it again instead.");
            }

            var queued = await results.GetAsync(id, budget);
            var resource = queued is null ? null : await ToResourceAsync(client, queued, [], budget);
            return new ApiResponse(202, JsonSerializer.Serialize(resource, PipelineJson.Options));
        }, cancellationToken);

    /// <summary>The video's row; otherwise 400 <c>invalid_id</c> or 404 <c>not_found</c>.</summary>
    private async Task<(VideoRow? Row, ApiResponse? Refusal)> ExistingRowAsync(string id, CancellationToken cancellationToken)
    {
        if (!VideoIds.IsValid(id))
        {
            return (null, Error(400, "invalid_id", $"'{id}' is not a video id."));
        }

        var row = await results.GetAsync(id, cancellationToken);
        return row is null ? (null, Error(404, "not_found", $"No video '{id}'.")) : (row, null);
    }

    /// <summary>The video's row when it exists and its processing has ended; otherwise the error answer.</summary>
    private async Task<(VideoRow? Row, ApiResponse? Refusal)> FinishedRowAsync(DurableTaskClient client, string id, CancellationToken cancellationToken)
    {
        var (row, refusal) = await ExistingRowAsync(id, cancellationToken);
        if (row is null)
        {
            return (null, refusal);
        }

        if (!VideoStatuses.IsFinal(row.Status) || await VideoMaintenance.IsRunningAsync(client, id, cancellationToken))
        {
            return (null, Error(409, "not_finished", $"Video '{id}' is {row.Status}; wait until it is Completed or Failed."));
        }

        return (row, null);
    }

    /// <summary>
    /// <c>GET /api/health</c>: see <see cref="HealthResource"/> for the states. The first call in a process opens every
    /// model's session (as a host's warm-up does), so a Functions instance learns of a broken model here or at its first plan.
    /// </summary>
    public async Task<ApiResponse> GetHealthAsync(CancellationToken cancellationToken)
    {
        var modelsHealth = new ModelsHealth(models.Available.Count, models.Unavailable, models.LoadError);
        var storage = await WithinBudgetAsync("GET /api/health", async budget =>
        {
            await results.PingAsync(budget);
            return new ApiResponse(200, string.Empty);
        }, cancellationToken);
        if (storage.StatusCode != 200)
        {
            var down = new HealthResource(HealthResource.Unavailable, modelsHealth, HealthResource.Unavailable);
            return new ApiResponse(503, JsonSerializer.Serialize(down, PipelineJson.Options), RetryAfterSeconds);
        }

        var degraded = modelsHealth.Unavailable.Count > 0 || modelsHealth.Available == 0;
        var health = new HealthResource(degraded ? HealthResource.Degraded : HealthResource.Ok, modelsHealth, HealthResource.Ok);
        return new ApiResponse(200, JsonSerializer.Serialize(health, PipelineJson.Options));
    }

    private async Task<ApiResponse> GetVideoCoreAsync(DurableTaskClient client, string id, CancellationToken cancellationToken)
    {
        var (row, refusal) = await ExistingRowAsync(id, cancellationToken);
        if (row is null)
        {
            return refusal!;
        }

        var modelRows = VideoStatuses.IsFinal(row.Status) ? await results.GetModelRowsAsync(id, cancellationToken) : [];
        var resource = await ToResourceAsync(client, row, modelRows, cancellationToken);
        return new ApiResponse(200, JsonSerializer.Serialize(resource, PipelineJson.Options));
    }

    /// <summary>
    /// <c>GET /api/videos/{id}/pictures/{name}</c>: a picture kept with the video (its timeline lists them), as JPEG or
    /// PNG; 404 <c>no_picture</c> when the video has no such picture (yet).
    /// </summary>
    public Task<ApiResponse> GetPictureAsync(string id, string name, CancellationToken cancellationToken) =>
        WithinBudgetAsync("GET /api/videos/{id}/pictures/{name}", async budget =>
        {
            var (row, refusal) = await ExistingRowAsync(id, budget);
            if (row is null)
            {
                return refusal!;
            }

            var bytes = PictureMaker.IsPictureName(name) ? await resultBlobs.ReadPictureAsync(id, name, budget) : null;
            return bytes is null
                ? Error(404, "no_picture", $"Video '{id}' has no picture '{name}'.")
                : ApiResponse.File(bytes, name.EndsWith(".png", StringComparison.Ordinal) ? "image/png" : "image/jpeg");
        }, cancellationToken);

    /// <summary><c>GET /api/videos/{id}/shots</c> (<see cref="ShotsResource"/>), with the errors of the timeline.</summary>
    public Task<ApiResponse> GetShotsAsync(string id, CancellationToken cancellationToken) =>
        WithinBudgetAsync("GET /api/videos/{id}/shots", async budget =>
        {
            var (timeline, refusal) = await CompletedTimelineAsync(id, budget);
            if (timeline is null)
            {
                return refusal!;
            }

            var k = options.Value.TopK;
            var answer = Consensus.BySpace(timeline.Models, m => m.LabelSpace, m => m.Weight).First();
            var bounds = (timeline.Cuts ?? []).Where(c => c > 0 && c < timeline.DurationSeconds).Prepend(0).Append(timeline.DurationSeconds).ToList();
            var shots = bounds.Zip(bounds.Skip(1))
                .Select(s => new TimelineSegment(s.First, s.Second, Timelines.Top(Timelines.Over([.. answer], s.First, s.Second), k)))
                .ToList();
            var resource = new ShotsResource(id, timeline.DurationSeconds, answer.Key, timeline.Cuts is not null, shots);
            return new ApiResponse(200, JsonSerializer.Serialize(resource, PipelineJson.Options));
        }, cancellationToken);

    /// <summary>The stored timeline of a Completed video; otherwise the error answer.</summary>
    private async Task<(VideoTimeline? Timeline, ApiResponse? Refusal)> CompletedTimelineAsync(string id, CancellationToken cancellationToken)
    {
        var (row, refusal) = await ExistingRowAsync(id, cancellationToken);
        if (row is null)
        {
            return (null, refusal);
        }

        if (row.Status != VideoStatuses.Completed)
        {
            return (null, Error(409, "not_completed", $"Video '{id}' is {row.Status}; it has a timeline once it is Completed."));
        }

        var timeline = await resultBlobs.ReadTimelineAsync(id, cancellationToken);
        return timeline is null || timeline.Models.Count == 0
            ? (null, Error(404, "no_timeline", $"Video '{id}' was completed before timelines were kept; upload it again to get one."))
            : (timeline, null);
    }

    private async Task<ApiResponse> GetTimelineCoreAsync(string id, CancellationToken cancellationToken)
    {
        var (timeline, refusal) = await CompletedTimelineAsync(id, cancellationToken);
        if (timeline is null)
        {
            return refusal!;
        }

        var k = options.Value.TopK;
        var spaces = Timelines.ByLabelSpace(timeline.Models, timeline.DurationSeconds, k);
        var clips = timeline.Models
            .Select(m => new ModelClipsResource(m.ModelId, m.LabelSpace, [.. m.Clips.Select(c =>
                new TimelineSegment(c.Start, c.End, Consensus.TopK(m.Labels, c.Probabilities, k)))]))
            .ToList();
        var pictures = timeline.Pictures;
        var resource = new TimelineResource(id, timeline.DurationSeconds, spaces[0].LabelSpace, spaces[0].Segments, spaces, clips)
        {
            KeyFrames = pictures?.KeyFrames is { } strip ? new KeyFramesResource(PictureHref(id, strip.Name), strip.TileWidth, strip.TileHeight, strip.Times) : null,
            Flows = pictures is null ? [] : [.. pictures.Flows.Select(f => new FlowPictureResource(PictureHref(id, f.Name), f.Flow, f.ViewKey, f.Time, f.ModelIds))],
        };
        return new ApiResponse(200, JsonSerializer.Serialize(resource, PipelineJson.Options));
    }

    private static string PictureHref(string id, string name) => $"/api/videos/{id}/pictures/{name}";

    private async Task<ApiResponse> ListVideosCoreAsync(DurableTaskClient client, VideoListQuery query, CancellationToken cancellationToken)
    {
        var size = DefaultPageSize;
        if (query.Limit is not null && (!int.TryParse(query.Limit, out size) || size < 1 || size > MaxPageSize))
        {
            return Error(400, "invalid_limit", $"limit must be an integer from 1 to {MaxPageSize}.");
        }

        string? token = null;
        if (!string.IsNullOrEmpty(query.Cursor))
        {
            if (!PageCursor.TryDecode(query.Cursor, out var continuation))
            {
                return Error(400, "invalid_cursor", "cursor is not one this API returned.");
            }

            token = continuation;
        }

        string? status = null;
        if (!string.IsNullOrEmpty(query.Status))
        {
            status = VideoStatuses.All.FirstOrDefault(s => string.Equals(s, query.Status, StringComparison.OrdinalIgnoreCase));
            if (status is null)
            {
                return Error(400, "invalid_status", $"status must be one of {string.Join(", ", VideoStatuses.All)}.");
            }
        }

        double? minConfidence = null;
        if (!string.IsNullOrEmpty(query.MinConfidence))
        {
            if (!double.TryParse(query.MinConfidence, NumberStyles.Float, CultureInfo.InvariantCulture, out var c) || c is < 0 or > 1 || string.IsNullOrEmpty(query.Label))
            {
                return Error(400, "invalid_min_confidence", "minConfidence must be a number from 0 to 1, with label.");
            }

            minConfidence = c;
        }

        var label = string.IsNullOrEmpty(query.Label) ? null : query.Label;
        var rows = new List<VideoRow>(size);
        string? next;
        var pages = 0;
        do
        {
            // A top label is matched by the table; "any label at a confidence" is read from each row's labels, so a
            // page may need several reads (never more rows than the page has room for, so no row is skipped).
            (var page, next) = await results.ListAsync(size - rows.Count, token, cancellationToken, status, minConfidence is null ? label : null);
            rows.AddRange(minConfidence is { } min ? page.Where(r => HasLabel(r, label!, min)) : page);
            token = next;
        }
        while (minConfidence is not null && rows.Count < size && next is not null && ++pages < MaxFilteredReads);

        var items = new List<VideoResource>(rows.Count);
        foreach (var row in rows)
        {
            items.Add(await ToResourceAsync(client, row, [], cancellationToken));
        }

        var nextCursor = next is null ? null : PageCursor.Encode(next);
        return new ApiResponse(200, JsonSerializer.Serialize(new VideoPage(items, nextCursor), PipelineJson.Options));
    }

    /// <summary>
    /// Runs one route with a token that fires after <see cref="PipelineOptions.ApiTimeout"/>, and turns a storage
    /// failure or that timeout into 503. The caller's own cancellation (client gone) still propagates.
    /// </summary>
    private async Task<ApiResponse> WithinBudgetAsync(string route, Func<CancellationToken, Task<ApiResponse>> run, CancellationToken cancellationToken)
    {
        var timeout = options.Value.ApiTimeout;
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(timeout);
        try
        {
            return await run(budget.Token);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            LogStorageUnavailable(logger, route, string.Create(CultureInfo.InvariantCulture, $"no answer within {timeout.TotalSeconds:0.###} s"));
            return StorageUnavailable();
        }
        catch (Exception ex) when (StorageFailures.IsStorageFailure(ex))
        {
            LogStorageUnavailable(logger, route, FirstLine(Innermost(ex).Message));
            return StorageUnavailable();
        }
    }

    private async Task<VideoResource> ToResourceAsync(DurableTaskClient client, VideoRow row, IReadOnlyList<ModelResultRow> models, CancellationToken cancellationToken)
    {
        var status = row.Status;
        string? reason = row.ReasonCode, message = row.Message;
        VideoProgress? progress = null;
        if (!VideoStatuses.IsFinal(status))
        {
            // WaitAsync: a client that does not observe the token (the local host's, over DurableTask.AzureStorage)
            // must not hold the request past its budget.
            var instance = await client.GetInstanceAsync(row.PartitionKey, getInputsAndOutputs: true, cancellationToken).WaitAsync(cancellationToken);
            if (instance is { IsRunning: true } && instance.SerializedCustomStatus is not null)
            {
                progress = instance.ReadCustomStatusAs<VideoProgress>();
            }
            else if (instance is null && status == VideoStatuses.Queued && row.SubmittedAt is { } submitted
                && await admission.PositionAsync(row.PartitionKey, submitted, cancellationToken) is { } position)
            {
                // Waiting in line: it has no orchestration until a slot is handed to it.
                progress = new VideoProgress("queued", 0) { QueuePosition = position };
            }
            else if (instance is { IsCompleted: true } && instance.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
            {
                // The orchestration ended without recording a result (terminated, or failed past its own handler).
                status = VideoStatuses.Failed;
                reason = ReasonCodes.Internal;
                message = $"The orchestration ended as {instance.RuntimeStatus}: {instance.FailureDetails?.ErrorMessage ?? "no detail"}";
            }
        }

        return new VideoResource
        {
            Id = row.PartitionKey,
            Status = status,
            ReasonCode = reason,
            Message = message,
            Blob = row.BlobName is null ? null : $"{row.Container}/{row.BlobName}",
            SubmittedAt = row.SubmittedAt,
            StartedAt = row.StartedAt,
            CompletedAt = row.CompletedAt,
            Progress = progress,
            Media = row.DurationSeconds is null && row.SizeBytes is null
                ? null
                : new MediaInfo(row.DurationSeconds, row.Fps, row.Width, row.Height, row.Rotation, row.Codec, row.Format, row.SizeBytes),
            Label = row.TopLabel,
            Labels = Parse<List<LabelScore>>(row.LabelsJson),
            MajorityLabel = row.MajorityLabel,
            Agreement = row.Agreement,
            LabelSpace = row.LabelSpace,
            Consensus = Parse<List<ConsensusBlock>>(row.ConsensusJson),
            Provider = row.Provider,
            Models = models.Count == 0 ? null : models
                .OrderBy(m => m.RowKey, StringComparer.Ordinal)
                .Select(m => new ModelResource(m.RowKey, m.Family, Parse<List<LabelScore>>(m.LabelsJson) ?? [], m.Provider, m.Clips, m.InferenceMs)
                {
                    LabelSpace = m.LabelSpace,
                    Status = m.Status ?? VideoStatuses.Completed,
                    ReasonCode = m.ReasonCode,
                    Message = m.Message,
                })
                .ToList(),
            UnavailableModels = Parse<List<UnavailableModel>>(row.UnavailableModelsJson),
            FailedModels = Parse<List<UnavailableModel>>(row.FailedModelsJson),
            TimingsMs = Parse<Dictionary<string, double>>(row.TimingsJson),
            Url = $"/api/videos/{row.PartitionKey}",
        };
    }

    /// <summary>Table reads one filtered page may take before it answers with what it found and a cursor.</summary>
    private const int MaxFilteredReads = 10;

    /// <summary>Whether any of the row's labels (its answer, or any label space's consensus) is <paramref name="label"/> at <paramref name="min"/> or more.</summary>
    private static bool HasLabel(VideoRow row, string label, double min) =>
        (Parse<List<LabelScore>>(row.LabelsJson) ?? [])
            .Concat((Parse<List<ConsensusBlock>>(row.ConsensusJson) ?? []).SelectMany(b => b.Labels))
            .Any(l => string.Equals(l.Label, label, StringComparison.Ordinal) && l.Confidence >= min);

    private static T? Parse<T>(string? json) where T : class =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<T>(json, PipelineJson.Options);

    private static ApiResponse Error(int status, string code, string message) =>
        new(status, JsonSerializer.Serialize(new { error = code, message }, PipelineJson.Options));

    private static ApiResponse StorageUnavailable() =>
        Error(503, "storage_unavailable", "Result storage is not answering; try again shortly.") with { RetryAfterSeconds = RetryAfterSeconds };

    private static Exception Innermost(Exception ex)
    {
        while (true)
        {
            var inner = ex is AggregateException { InnerExceptions.Count: > 0 } a ? a.InnerExceptions[0] : ex.InnerException;
            if (inner is null)
            {
                return ex;
            }

            ex = inner;
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Route} answered 503: storage unavailable ({Reason})")]
    private static partial void LogStorageUnavailable(ILogger logger, string route, string reason);
}
