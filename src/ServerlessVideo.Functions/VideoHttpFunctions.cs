using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using ServerlessVideo.Pipeline.Api;

namespace ServerlessVideo.Functions;

/// <summary>The HTTP API: same routes and the same JSON as the local host, both produced by the shared <see cref="VideoApi"/>.</summary>
public sealed class VideoHttpFunctions(VideoApi api)
{
    public const string GetVideoName = "GetVideo";
    public const string ListVideosName = "ListVideos";
    public const string GetTimelineName = "GetTimeline";
    public const string GetShotsName = "GetShots";
    public const string GetPictureName = "GetPicture";
    public const string DeleteVideoName = "DeleteVideo";
    public const string ReprocessVideoName = "ReprocessVideo";
    public const string HealthName = "Health";

    [Function(GetVideoName)]
    public async Task<IActionResult> GetVideoAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/videos/{id}")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client) =>
        Send(request, await api.GetVideoAsync(client, id, request.HttpContext.RequestAborted));

    [Function(DeleteVideoName)]
    public async Task<IActionResult> DeleteVideoAsync(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "api/videos/{id}")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client) =>
        Send(request, await api.DeleteVideoAsync(client, id, request.Query["blob"].FirstOrDefault(), request.HttpContext.RequestAborted));

    [Function(ReprocessVideoName)]
    public async Task<IActionResult> ReprocessVideoAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/videos/{id}/reprocess")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client) =>
        Send(request, await api.ReprocessVideoAsync(client, id, request.HttpContext.RequestAborted));

    [Function(GetShotsName)]
    public async Task<IActionResult> GetShotsAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/videos/{id}/shots")] HttpRequest request,
        string id) =>
        Send(request, await api.GetShotsAsync(id, request.HttpContext.RequestAborted));

    [Function(GetPictureName)]
    public async Task<IActionResult> GetPictureAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/videos/{id}/pictures/{name}")] HttpRequest request,
        string id,
        string name) =>
        Send(request, await api.GetPictureAsync(id, name, request.HttpContext.RequestAborted));

    [Function(GetTimelineName)]
    public async Task<IActionResult> GetTimelineAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/videos/{id}/timeline")] HttpRequest request,
        string id) =>
        Send(request, await api.GetTimelineAsync(id, request.HttpContext.RequestAborted));

    [Function(ListVideosName)]
    public async Task<IActionResult> ListVideosAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/videos")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        Send(request, await api.ListVideosAsync(client, ListQuery(request.Query), request.HttpContext.RequestAborted));

    private static VideoListQuery ListQuery(IQueryCollection query) => new(
        query["limit"].FirstOrDefault(), query["cursor"].FirstOrDefault(), query["status"].FirstOrDefault(), query["label"].FirstOrDefault(), query["minConfidence"].FirstOrDefault());

    /// <summary><c>GET /api/health</c>: models that serve or cannot load, and whether storage answers (see <see cref="HealthResource"/>).</summary>
    [Function(HealthName)]
    public async Task<IActionResult> HealthAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/health")] HttpRequest request) =>
        Send(request, await api.GetHealthAsync(request.HttpContext.RequestAborted));

    private static IActionResult Send(HttpRequest request, ApiResponse response)
    {
        if (response.RetryAfterSeconds is { } seconds)
        {
            request.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return response.Bytes is { } bytes
            ? new FileContentResult(bytes, response.ContentType ?? "application/octet-stream")
            : new ContentResult { Content = response.Json, ContentType = "application/json; charset=utf-8", StatusCode = response.StatusCode };
    }
}
