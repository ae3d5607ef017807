using System.Text;
using System.Text.Json;
using Microsoft.DurableTask.Client;
using ServerlessVideo.Core;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Core.Results;
using ServerlessVideo.Pipeline.Messages;
using ServerlessVideo.Pipeline.Storage;

namespace ServerlessVideo.Pipeline.Api;

/// <summary>
/// The HTTP routes' logic, shared by every host: <c>GET /api/videos/{id}</c> and <c>GET /api/videos?limit=&amp;cursor=</c>.
/// Rows are the truth; while a video runs, the orchestration's custom status adds stage and percent, and a row whose
/// orchestration has ended without writing it is reported as Failed rather than Running forever.
/// </summary>
public sealed class VideoApi(ResultStore results)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public async Task<ApiResponse> GetVideoAsync(DurableTaskClient client, string id, CancellationToken cancellationToken)
    {
        if (!VideoIds.IsValid(id))
        {
            return Error(400, "invalid_id", $"'{id}' is not a video id.");
        }

        var row = await results.GetAsync(id, cancellationToken);
        if (row is null)
        {
            return Error(404, "not_found", $"No video '{id}'.");
        }

        var models = VideoStatuses.IsFinal(row.Status) ? await results.GetModelRowsAsync(id, cancellationToken) : [];
        var resource = await ToResourceAsync(client, row, models, cancellationToken);
        return new ApiResponse(200, JsonSerializer.Serialize(resource, PipelineJson.Options));
    }

    public async Task<ApiResponse> ListVideosAsync(DurableTaskClient client, string? limit, string? cursor, CancellationToken cancellationToken)
    {
        var size = DefaultPageSize;
        if (limit is not null && (!int.TryParse(limit, out size) || size < 1 || size > MaxPageSize))
        {
            return Error(400, "invalid_limit", $"limit must be an integer from 1 to {MaxPageSize}.");
        }

        string? token = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            try
            {
                token = Encoding.UTF8.GetString(Convert.FromBase64String(cursor.Replace('-', '+').Replace('_', '/').PadRight((cursor.Length + 3) / 4 * 4, '=')));
            }
            catch (FormatException)
            {
                return Error(400, "invalid_cursor", "cursor is not one this API returned.");
            }
        }

        var (rows, next) = await results.ListAsync(size, token, cancellationToken);
        var items = new List<VideoResource>(rows.Count);
        foreach (var row in rows)
        {
            items.Add(await ToResourceAsync(client, row, [], cancellationToken));
        }

        var nextCursor = next is null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(next)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return new ApiResponse(200, JsonSerializer.Serialize(new VideoPage(items, nextCursor), PipelineJson.Options));
    }

    private static async Task<VideoResource> ToResourceAsync(DurableTaskClient client, VideoRow row, IReadOnlyList<ModelResultRow> models, CancellationToken cancellationToken)
    {
        var status = row.Status;
        string? reason = row.ReasonCode, message = row.Message;
        VideoProgress? progress = null;
        if (!VideoStatuses.IsFinal(status))
        {
            var instance = await client.GetInstanceAsync(row.PartitionKey, getInputsAndOutputs: true, cancellationToken);
            if (instance is { IsRunning: true } && instance.SerializedCustomStatus is not null)
            {
                progress = instance.ReadCustomStatusAs<VideoProgress>();
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
            Labels = Parse<List<LabelScore>>(row.LabelsJson),
            MajorityLabel = row.MajorityLabel,
            Agreement = row.Agreement,
            Provider = row.Provider,
            Models = models.Count == 0 ? null : models
                .OrderBy(m => m.RowKey, StringComparer.Ordinal)
                .Select(m => new ModelResource(m.RowKey, m.Family, Parse<List<LabelScore>>(m.LabelsJson) ?? [], m.Provider, m.Clips, m.InferenceMs))
                .ToList(),
            UnavailableModels = Parse<List<UnavailableModel>>(row.UnavailableModelsJson),
            TimingsMs = Parse<Dictionary<string, double>>(row.TimingsJson),
            Url = $"/api/videos/{row.PartitionKey}",
        };
    }

    private static T? Parse<T>(string? json) where T : class =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<T>(json, PipelineJson.Options);

    private static ApiResponse Error(int status, string code, string message) =>
        new(status, JsonSerializer.Serialize(new { error = code, message }, PipelineJson.Options));
}
