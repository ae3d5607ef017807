using System.Globalization;
using Microsoft.DurableTask.Client;
using ServerlessVideo.Pipeline.Api;

namespace ServerlessVideo.Host.Http;

/// <summary>Maps the shared <see cref="VideoApi"/> onto minimal-API routes, the same paths as the Functions app.</summary>
public static class VideoEndpoints
{
    public static IEndpointRouteBuilder MapVideoApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/videos/{id}", async (string id, VideoApi api, DurableTaskClient client, HttpResponse http, CancellationToken ct) =>
            Send(http, await api.GetVideoAsync(client, id, ct)));
        app.MapDelete("/api/videos/{id}", async (string id, string? blob, VideoApi api, DurableTaskClient client, HttpResponse http, CancellationToken ct) =>
            Send(http, await api.DeleteVideoAsync(client, id, blob, ct)));
        app.MapPost("/api/videos/{id}/reprocess", async (string id, VideoApi api, DurableTaskClient client, HttpResponse http, CancellationToken ct) =>
            Send(http, await api.ReprocessVideoAsync(client, id, ct)));
        app.MapGet("/api/videos/{id}/shots", async (string id, VideoApi api, HttpResponse http, CancellationToken ct) =>
            Send(http, await api.GetShotsAsync(id, ct)));
        app.MapGet("/api/videos/{id}/pictures/{name}", async (string id, string name, VideoApi api, HttpResponse http, CancellationToken ct) =>
            Send(http, await api.GetPictureAsync(id, name, ct)));
        app.MapGet("/api/videos/{id}/timeline", async (string id, VideoApi api, HttpResponse http, CancellationToken ct) =>
            Send(http, await api.GetTimelineAsync(id, ct)));
        app.MapGet("/api/videos", async (string? limit, string? cursor, string? status, string? label, string? minConfidence, VideoApi api, DurableTaskClient client, HttpResponse http, CancellationToken ct) =>
            Send(http, await api.ListVideosAsync(client, new VideoListQuery(limit, cursor, status, label, minConfidence), ct)));
        app.MapGet("/api/health", async (VideoApi api, HttpResponse http, CancellationToken ct) =>
            Send(http, await api.GetHealthAsync(ct)));
        return app;
    }

    private static IResult Send(HttpResponse http, ApiResponse response)
    {
        if (response.RetryAfterSeconds is { } seconds)
        {
            http.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return response.Bytes is { } bytes
            ? Results.File(bytes, response.ContentType)
            : Results.Content(response.Json, "application/json", System.Text.Encoding.UTF8, response.StatusCode);
    }
}
