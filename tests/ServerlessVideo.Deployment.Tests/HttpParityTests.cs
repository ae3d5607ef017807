using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using ServerlessVideo.Core;
using ServerlessVideo.Core.Results;
using ServerlessVideo.Functions;
using ServerlessVideo.Host;
using ServerlessVideo.Pipeline.Api;
using ServerlessVideo.Pipeline.Messages;
using ServerlessVideo.Pipeline.Storage;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Deployment.Tests;

/// <summary>For the same table rows, the Functions HTTP functions and the local host's routes answer byte-identical JSON.</summary>
public sealed class HttpParityTests : IAsyncLifetime
{
    private readonly int _port = Azurite.FreePort();
    private readonly string _table = TestNames.Unique("videos");
    private readonly string _modelsTable = TestNames.Unique("models");
    private WebApplication? _app;

    public async Task InitializeAsync()
    {
        _app = HostComposition.Build(
        [
            "--urls", $"http://127.0.0.1:{_port}",
            $"--Pipeline:StorageConnectionString={Azurite.ConnectionString}",
            $"--Pipeline:VideosTable={_table}",
            $"--Pipeline:VideoIndexTable={TestNames.Unique("videoindex")}",
            $"--Pipeline:ModelResultsTable={_modelsTable}",
            $"--Pipeline:VideosContainer={TestNames.Unique("videos")}",
            $"--Pipeline:ResultsContainer={TestNames.Unique("results")}",
            $"--Host:TaskHub={TestNames.Unique("hub")}",
            "--Host:Watch=false",
            $"--Inference:ModelsPath={RepoPaths.Models}",
        ]);
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Both_hosts_answer_the_same_json_for_every_route_and_error()
    {
        var results = _app!.Services.GetRequiredService<ResultStore>();
        var completed = VideoIds.FromBlob("videos", "a.mp4", "1");
        var failed = VideoIds.FromBlob("videos", "b.mp4", "1");
        await results.WriteFinalAsync(new VideoRow
        {
            PartitionKey = completed, Status = VideoStatuses.Completed, Container = "videos", BlobName = "a.mp4", BlobETag = "1",
            SubmittedAt = DateTimeOffset.Parse("2026-01-02T03:04:05+00:00"), DurationSeconds = 12.5, Fps = 29.97, Width = 1920, Height = 1080,
            Codec = "h264", Format = "mov,mp4", SizeBytes = 123456, TopLabel = "red", Confidence = 0.9,
            LabelsJson = """[{"label":"red","confidence":0.9},{"label":"blue","confidence":0.1}]""", MajorityLabel = "red", Agreement = 1,
            ModelsJson = """["colour-mean"]""", Provider = "CPUExecutionProvider", TimingsJson = """{"probe":12.5,"extract":300}""",
            UnavailableModelsJson = """[{"id":"tsn-synthmotion","reasonCode":"MODEL_UNAVAILABLE","message":"[ErrorCode:InvalidProtobuf] Protobuf parsing failed."}]""",
        },
        [
            new ModelResultRow { PartitionKey = completed, RowKey = "colour-mean", Family = "baseline", TopLabel = "red", Confidence = 0.9, LabelsJson = """[{"label":"red","confidence":0.9}]""", Provider = "CPUExecutionProvider", Clips = 3, InferenceMs = 1.5 },
        ], CancellationToken.None);
        await results.WriteFinalAsync(new VideoRow
        {
            PartitionKey = failed, Status = VideoStatuses.Failed, ReasonCode = ReasonCodes.StillImage, Message = "The file is a still image (png), not a video.",
            Container = "videos", BlobName = "b.mp4", SubmittedAt = DateTimeOffset.Parse("2026-01-02T03:05:00+00:00"),
        }, [], CancellationToken.None);

        await _app.Services.GetRequiredService<ResultBlobStore>().WriteTimelineAsync(new VideoTimeline(completed, 12.5,
        [
            new ModelTimeline("colour-mean", 1, ["red", "blue"], "colours", [new ClipScores(0, 6, [0.9f, 0.1f]), new ClipScores(6, 12.5, [0.2f, 0.8f])]),
        ], Cuts: [6.04], Pictures: new VideoPictures(
            new KeyFramesPicture("keyframes.jpg", 64, 36, [0.5, 6.5]),
            [new FlowPicture("flow-0.png", "flow-tvl1-b20", "rgb-f8-s64-c64-t6", 1.25, ["two-stream"])])), CancellationToken.None);
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];
        await _app.Services.GetRequiredService<ResultBlobStore>().WritePictureAsync(completed, "keyframes.jpg", jpeg, "image/jpeg", CancellationToken.None);

        var client = _app.Services.GetRequiredService<DurableTaskClient>();
        var functions = new VideoHttpFunctions(_app.Services.GetRequiredService<VideoApi>());
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}") };

        async Task Same(string path, Func<HttpRequest, Task<IActionResult>> function, HttpMethod? method = null) => await SameAsync(http, path, function, method);

        await Same($"/api/videos/{completed}", r => functions.GetVideoAsync(r, completed, client));
        await Same($"/api/videos/{failed}", r => functions.GetVideoAsync(r, failed, client));
        await Same("/api/videos/nope", r => functions.GetVideoAsync(r, "nope", client));
        var unknown = VideoIds.FromBlob("videos", "c.mp4", "1");
        await Same($"/api/videos/{unknown}", r => functions.GetVideoAsync(r, unknown, client));
        await Same($"/api/videos/{completed}/timeline", r => functions.GetTimelineAsync(r, completed));
        await Same($"/api/videos/{failed}/timeline", r => functions.GetTimelineAsync(r, failed));
        await Same($"/api/videos/{completed}/shots", r => functions.GetShotsAsync(r, completed));
        await Same($"/api/videos/{unknown}/shots", r => functions.GetShotsAsync(r, unknown));
        await Same($"/api/videos/{unknown}/timeline", r => functions.GetTimelineAsync(r, unknown));
        await Same($"/api/videos/{unknown}", r => functions.DeleteVideoAsync(r, unknown, client), HttpMethod.Delete);
        await Same($"/api/videos/{completed}?blob=maybe", r => functions.DeleteVideoAsync(r, completed, client), HttpMethod.Delete);
        await Same("/api/videos/nope", r => functions.DeleteVideoAsync(r, "nope", client), HttpMethod.Delete);
        await Same($"/api/videos/{failed}/reprocess", r => functions.ReprocessVideoAsync(r, failed, client), HttpMethod.Post);
        await Same($"/api/videos/{unknown}/reprocess", r => functions.ReprocessVideoAsync(r, unknown, client), HttpMethod.Post);
        await Same("/api/videos?limit=1", r => functions.ListVideosAsync(r, client));
        await Same("/api/videos?limit=5000", r => functions.ListVideosAsync(r, client));
        await Same("/api/videos", r => functions.ListVideosAsync(r, client));
        await Same("/api/videos?status=failed", r => functions.ListVideosAsync(r, client));
        await Same("/api/videos?status=Done", r => functions.ListVideosAsync(r, client));
        await Same("/api/videos?label=red", r => functions.ListVideosAsync(r, client));
        await Same("/api/videos?label=blue&minConfidence=0.05", r => functions.ListVideosAsync(r, client));
        await Same("/api/videos?minConfidence=0.5", r => functions.ListVideosAsync(r, client));
        await Same("/api/health", functions.HealthAsync);
        await Same($"/api/videos/{completed}/pictures/flow-0.png", r => functions.GetPictureAsync(r, completed, "flow-0.png"));
        await Same($"/api/videos/{completed}/pictures/timeline.json", r => functions.GetPictureAsync(r, completed, "timeline.json"));
        await Same($"/api/videos/{unknown}/pictures/keyframes.jpg", r => functions.GetPictureAsync(r, unknown, "keyframes.jpg"));
        Assert.Equal(jpeg, await SameFileAsync(http, $"/api/videos/{completed}/pictures/keyframes.jpg", "image/jpeg", r => functions.GetPictureAsync(r, completed, "keyframes.jpg")));

        Assert.Contains("data-page=\"list\"", System.Text.Encoding.UTF8.GetString(await SameFileAsync(http, "/", "text/html; charset=utf-8", r => Task.FromResult(PortalFunctions.ListPage(r)))), StringComparison.Ordinal);
        Assert.Contains("data-page=\"video\"", System.Text.Encoding.UTF8.GetString(await SameFileAsync(http, $"/videos/{completed}", "text/html; charset=utf-8", r => Task.FromResult(PortalFunctions.VideoPage(r, completed)))), StringComparison.Ordinal);
        await SameFileAsync(http, "/portal/portal.js", "text/javascript; charset=utf-8", r => Task.FromResult(PortalFunctions.File(r, "portal.js")));
        using (var missing = await http.GetAsync(new Uri("/portal/nope.js", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.IsType<NotFoundResult>(PortalFunctions.File(new DefaultHttpContext().Request, "nope.js"));
        }

        using var check = await http.GetAsync(new Uri($"/api/videos/{completed}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        Assert.Contains("\"labels\":[{\"label\":\"red\"", await check.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("\"unavailableModels\":[{\"id\":\"tsn-synthmotion\",\"reasonCode\":\"MODEL_UNAVAILABLE\"", await check.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Newest first: the failed video was submitted a minute after the completed one.
        using var list = await http.GetAsync(new Uri("/api/videos", UriKind.Relative));
        var ids = System.Text.Json.Nodes.JsonNode.Parse(await list.Content.ReadAsStringAsync())!["items"]!.AsArray().Select(v => v!["id"]!.GetValue<string>());
        Assert.Equal([failed, completed], ids);
        using var timeline = await http.GetAsync(new Uri($"/api/videos/{completed}/timeline", UriKind.Relative));
        Assert.Contains(
            """segments":[{"start":0,"end":6,"labels":[{"label":"red","confidence":0.9},{"label":"blue","confidence":0.1}]},{"start":6,"end":12.5,"labels":[{"label":"blue","confidence":0.8}""",
            await timeline.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(
            $$"""keyFrames":{"href":"/api/videos/{{completed}}/pictures/keyframes.jpg","tileWidth":64,"tileHeight":36,"times":[0.5,6.5]},"flows":[{"href":"/api/videos/{{completed}}/pictures/flow-0.png","flow":"flow-tvl1-b20",""",
            await (await http.GetAsync(new Uri($"/api/videos/{completed}/timeline", UriKind.Relative))).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var health = await http.GetAsync(new Uri("/api/health", UriKind.Relative));
        var models = RepoPaths.BuiltInModelIds.Count;
        Assert.Equal($$"""{"status":"ok","models":{"available":{{models}},"unavailable":[]},"storage":"ok"}""", await health.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task With_storage_down_both_hosts_answer_the_same_503_storage_unavailable_with_retry_after_within_the_budget()
    {
        // A private Azurite, stopped once the host runs: every storage call is then refused, as in an outage.
        using var azurite = new RestartableAzurite();
        var port = Azurite.FreePort();
        await using var app = HostComposition.Build(
        [
            "--urls", $"http://127.0.0.1:{port}",
            $"--Pipeline:StorageConnectionString={azurite.ConnectionString}",
            $"--Host:TaskHub={TestNames.Unique("hub")}",
            "--Host:Watch=false",
            $"--Inference:ModelsPath={RepoPaths.Models}",
            "--Logging:LogLevel:Default=None",
        ]);
        // Models opened before start, as the host does (HostRunner): the first /api/health would otherwise open all of
        // them inside the timed call, seconds on a busy machine that have nothing to do with storage.
        HostComposition.WarmUp(app);
        await app.StartAsync();
        await azurite.StopAsync();
        try
        {
            var client = app.Services.GetRequiredService<DurableTaskClient>();
            var functions = new VideoHttpFunctions(app.Services.GetRequiredService<VideoApi>());
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            var id = VideoIds.FromBlob("videos", "a.mp4", "1");
            foreach (var (path, function) in new (string, Func<HttpRequest, Task<IActionResult>>)[]
            {
                ($"/api/videos/{id}", r => functions.GetVideoAsync(r, id, client)),
                ("/api/videos?limit=5", r => functions.ListVideosAsync(r, client)),
                ("/api/health", functions.HealthAsync),
            })
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var (status, json, retryAfter) = await SameAsync(http, path, function);
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8), $"{path} took {watch.Elapsed} for both hosts");
                Assert.Equal(503, status);
                Assert.Equal("5", retryAfter);
                Assert.Contains(path == "/api/health" ? "\"status\":\"unavailable\"" : "\"error\":\"storage_unavailable\"", json, StringComparison.Ordinal);
            }
        }
        finally
        {
            // Back first: the durable worker waits for storage to release its partitions when it stops.
            azurite.Start();
            await app.StopAsync();
        }
    }

    /// <summary>
    /// GETs <paramref name="path"/> from the local host and calls the Functions function for it; asserts both answer 200
    /// with the same bytes and content type (and, for pages, the same content policy), and returns the bytes.
    /// </summary>
    private static async Task<byte[]> SameFileAsync(HttpClient http, string path, string contentType, Func<HttpRequest, Task<IActionResult>> function)
    {
        using var local = await http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, local.StatusCode);
        Assert.Equal(contentType, local.Content.Headers.ContentType?.ToString());
        var bytes = await local.Content.ReadAsByteArrayAsync();
        var context = new DefaultHttpContext();
        var result = Assert.IsType<FileContentResult>(await function(context.Request));
        Assert.Equal(contentType, result.ContentType);
        Assert.Equal(bytes, result.FileContents);
        local.Headers.TryGetValues("Content-Security-Policy", out var policy);
        Assert.Equal(string.Join(",", policy ?? []), context.Response.Headers.ContentSecurityPolicy.ToString());
        return bytes;
    }

    /// <summary>
    /// GETs <paramref name="path"/> from the local host and calls the Functions function for it; asserts the same
    /// status, body and Retry-After, and returns them.
    /// </summary>
    private static async Task<(int Status, string Json, string? RetryAfter)> SameAsync(
        HttpClient http, string path, Func<HttpRequest, Task<IActionResult>> function, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, new Uri(path, UriKind.Relative));
        using var local = await http.SendAsync(request);
        var localJson = await local.Content.ReadAsStringAsync();
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(path.Contains('?', StringComparison.Ordinal) ? path[path.IndexOf('?', StringComparison.Ordinal)..] : string.Empty);
        var result = Assert.IsType<ContentResult>(await function(context.Request));
        Assert.Equal((int)local.StatusCode, result.StatusCode);
        Assert.Equal(localJson, result.Content);
        var localRetry = local.Headers.RetryAfter?.ToString();
        var functionRetry = context.Response.Headers.RetryAfter.ToString();
        Assert.Equal(localRetry ?? string.Empty, functionRetry);
        return ((int)local.StatusCode, localJson, localRetry);
    }
}
