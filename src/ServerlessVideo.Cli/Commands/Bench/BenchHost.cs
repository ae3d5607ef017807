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
/// upload a file to the videos container, and wait over the HTTP API until videos are final.
/// </summary>
internal sealed class BenchHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly BlobContainerClient _videos;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _uploaded = new();

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
            [.. args, "--urls", url, "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:DurableTask.AzureStorage=Error"]);
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
    /// Polls until every video is Completed or Failed and returns each one's final JSON. Each round asks only about the
    /// videos not yet final, in order, and stops at the first that is not: one or two requests per round, so the
    /// watching itself adds next to nothing to the host's and Azurite's CPU. Every 10 s all pending videos are asked
    /// about and <paramref name="progress"/> is told how many are final.
    /// </summary>
    public async Task<Dictionary<string, JsonNode>> WaitAsync(
        IReadOnlyList<string> ids, TimeSpan timeout, Action<int>? progress, CancellationToken cancellationToken)
    {
        var pending = new List<string>(ids);
        var final = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        var watch = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        while (pending.Count > 0)
        {
            if (watch.Elapsed > timeout)
            {
                throw new CliException($"{pending.Count} of {ids.Count} video(s) not final after {timeout.TotalSeconds:0} s (first: {pending[0]})");
            }

            // Every 10 s (when someone is told the count) every pending video is asked about, not just the first ones.
            var census = progress is not null && watch.Elapsed - lastReport > TimeSpan.FromSeconds(10);
            for (var i = 0; i < pending.Count;)
            {
                var (status, node) = await Api.GetAsync($"/api/videos/{pending[i]}", cancellationToken);
                if (status == 200 && node?["status"]?.GetValue<string>() is "Completed" or "Failed")
                {
                    final[pending[i]] = node;
                    pending.RemoveAt(i);
                }
                else if (census)
                {
                    i++;
                }
                else
                {
                    break;
                }
            }

            if (census && pending.Count > 0)
            {
                lastReport = watch.Elapsed;
                progress!(final.Count);
            }

            if (pending.Count > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            }
        }

        return final;
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
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
