using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using ServerlessVideo.Core;
using ServerlessVideo.Host;
using ServerlessVideo.Pipeline;

namespace ServerlessVideo.Cli.Commands.Bench;

/// <summary>
/// The worker host run in this process (as <c>demo</c> does) on a free loopback port, with what the bench does to it:
/// upload a file to the videos container, learn when videos are final, and read them over the HTTP API.
/// </summary>
internal sealed class BenchHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly BlobContainerClient _videos;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _uploaded = new();
    private readonly FinalVideos _final = new();

    private BenchHost(WebApplication app, Uri api)
    {
        _app = app;
        Pipeline = app.Services.GetRequiredService<IOptions<PipelineOptions>>().Value;
        Api = new ApiClient(api);
        _videos = new BlobContainerClient(Pipeline.StorageConnectionString, Pipeline.VideosContainer);
    }

    public PipelineOptions Pipeline { get; }

    public ApiClient Api { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Builds, warms up (opens every model) and starts the host; extra <paramref name="args"/> are host settings.</summary>
    public static async Task<BenchHost> StartAsync(IEnumerable<string> args, CancellationToken cancellationToken)
    {
        var url = $"http://127.0.0.1:{FreePort().ToString(CultureInfo.InvariantCulture)}";
        var app = HostComposition.Build(
            [.. args, "--urls", url, "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:DurableTask.AzureStorage=Warning"]);
        HostComposition.WarmUp(app);
        await app.StartAsync(cancellationToken);
        var host = new BenchHost(app, new Uri(url));
        await host._videos.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        return host;
    }

    /// <summary>A TCP port free on 127.0.0.1 now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Uploads <paramref name="path"/> as blob <paramref name="blobName"/>; returns the video id the host will give it.</summary>
    public async Task<string> UploadAsync(string path, string blobName, CancellationToken cancellationToken)
    {
        var uploaded = await _videos.GetBlobClient(blobName).UploadAsync(path, overwrite: true, cancellationToken);
        _uploaded.Enqueue(blobName);
        return VideoIds.FromBlob(Pipeline.VideosContainer, blobName, uploaded.Value.ETag.ToString());
    }

    /// <summary>
    /// Returns once every video has reached its final row, learnt from the host's telemetry in this process: no
    /// storage request, so the watching adds nothing to the CPU the bench measures. <paramref name="progress"/> is told
    /// how many are final every 10 s.
    /// </summary>
    public Task WaitFinalAsync(IReadOnlyList<string> ids, TimeSpan timeout, Action<int>? progress, CancellationToken cancellationToken) =>
        _final.WaitAsync(ids, timeout, progress, cancellationToken);

    /// <summary>Each final video's JSON from the HTTP API (asked once the videos are final, after any measurement).</summary>
    public async Task<Dictionary<string, JsonNode>> GetFinalAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var final = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var (status, node) = await Api.GetAsync($"/api/videos/{id}", cancellationToken);
            if (status != 200 || node?["status"]?.GetValue<string>() is not ("Completed" or "Failed"))
            {
                throw new CliException($"video {id} reached its final row but the API answers {status}: {node?.ToJsonString()}");
            }

            final[id] = node;
        }

        return final;
    }

    /// <summary><see cref="WaitFinalAsync"/>, then <see cref="GetFinalAsync"/>.</summary>
    public async Task<Dictionary<string, JsonNode>> WaitAsync(
        IReadOnlyList<string> ids, TimeSpan timeout, Action<int>? progress, CancellationToken cancellationToken)
    {
        await WaitFinalAsync(ids, timeout, progress, cancellationToken);
        return await GetFinalAsync(ids, cancellationToken);
    }

    /// <summary>Uploads one file and waits for it: seconds from the upload's start until it is final, and its JSON.</summary>
    public async Task<(double Seconds, JsonNode Video)> RunOneAsync(string path, string blobName, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var (seconds, _, video) = await RunOneTimedAsync(path, blobName, timeout, cancellationToken);
        return (seconds, video);
    }

    /// <summary>
    /// Uploads one file and waits for it: seconds from the upload's start and from its end (the video is in storage,
    /// where the pipeline's work begins) until it is final, and its JSON.
    /// </summary>
    public async Task<(double FromUpload, double FromStored, JsonNode Video)> RunOneTimedAsync(string path, string blobName, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var id = await UploadAsync(path, blobName, cancellationToken);
        var stored = watch.Elapsed;
        var video = (await WaitAsync([id], timeout, null, cancellationToken))[id];
        return (watch.Elapsed.TotalSeconds, (watch.Elapsed - stored).TotalSeconds, video);
    }

    /// <summary>completedAt − startedAt of a final video as the API reports it, seconds; null if either is missing.</summary>
    public static double? LatencySeconds(JsonNode video) =>
        video["startedAt"]?.GetValue<DateTimeOffset>() is { } started && video["completedAt"]?.GetValue<DateTimeOffset>() is { } completed
            ? (completed - started).TotalSeconds
            : null;

    public static bool IsCompleted(JsonNode video) => video["status"]?.GetValue<string>() == "Completed";

    /// <summary>Deletes the videos this run uploaded (their results stay in the tables), then stops the host.</summary>
    public async ValueTask DisposeAsync()
    {
        await BenchCleanup.DeleteBlobsAsync(_videos, _uploaded);
        Api.Dispose();
        _final.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
