using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServerlessVideo.Core;
using ServerlessVideo.Host;
using ServerlessVideo.Host.Watching;
using ServerlessVideo.Pipeline.Telemetry;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Deployment.Tests;

/// <summary>The local host's watcher on real Azurite: it lists the container less often while its worker runs tasks.</summary>
public sealed class BusyWatcherTests
{
    [Fact]
    public async Task An_upload_made_while_a_task_runs_is_picked_up_once_the_task_ends()
    {
        var container = TestNames.Unique("videos");
        var table = TestNames.Unique("videos");
        string[] args =
        [
            $"--Pipeline:StorageConnectionString={Azurite.ConnectionString}",
            $"--Pipeline:VideosContainer={container}",
            $"--Pipeline:VideosTable={table}",
            $"--Pipeline:VideoIndexTable={TestNames.Unique("videoindex")}",
            $"--Pipeline:AdmissionTable={TestNames.Unique("admission")}",
            $"--Host:TaskHub={TestNames.Unique("hub")}",
            $"--Host:ClaimsTable={TestNames.Unique("claims")}",
            "--Host:WatchInterval=00:00:00.200",
            "--Host:BusyWatchInterval=01:00:00",
            "--Logging:LogLevel:Default=None",
        ];
        await using var app = HostComposition.Build(args);
        var watcher = app.Services.GetServices<IHostedService>().OfType<BlobWatcher>().Single();
        var telemetry = app.Services.GetRequiredService<PipelineTelemetry>();
        var blobs = new BlobContainerClient(Azurite.ConnectionString, container);
        await blobs.CreateIfNotExistsAsync();
        var rows = new TableClient(Azurite.ConnectionString, table);
        await rows.CreateIfNotExistsAsync();

        await watcher.StartAsync(CancellationToken.None);
        try
        {
            var first = await UploadAsync(blobs, "first.mp4");
            await WaitForRowAsync(rows, first, TimeSpan.FromSeconds(30));

            var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            var task = telemetry.RunAsync("busy", 0, _ => release.Task);
            // A scan that began before the task did ends first.
            await Task.Delay(TimeSpan.FromSeconds(1));
            var second = await UploadAsync(blobs, "second.mp4");

            // Ten idle ticks: an idle watcher would have listed it several times over.
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.False(await HasRowAsync(rows, second), "the watcher listed the container while a task ran");

            release.SetResult(0);
            await task;
            await WaitForRowAsync(rows, second, TimeSpan.FromSeconds(30));
        }
        finally
        {
            await watcher.StopAsync(CancellationToken.None);
        }
    }

    [Theory]
    [InlineData(0, 0.0, true)]
    [InlineData(1, 4.9, false)]
    [InlineData(2, 5.0, true)]
    public void A_tick_lists_when_no_task_runs_or_the_busy_interval_has_passed(int running, double sinceSeconds, bool due) =>
        Assert.Equal(due, BlobWatcher.ScanDue(running, TimeSpan.FromSeconds(sinceSeconds), TimeSpan.FromSeconds(5)));

    private static async Task<string> UploadAsync(BlobContainerClient blobs, string name)
    {
        var uploaded = await blobs.GetBlobClient(name).UploadAsync(BinaryData.FromString("not a video; the watcher only records it"));
        return VideoIds.FromBlob(blobs.Name, name, uploaded.Value.ETag.ToString());
    }

    private static async Task<bool> HasRowAsync(TableClient rows, string videoId)
    {
        await foreach (var _ in rows.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {videoId}"), select: ["PartitionKey"]))
        {
            return true;
        }

        return false;
    }

    private static async Task WaitForRowAsync(TableClient rows, string videoId, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (!await HasRowAsync(rows, videoId))
        {
            Assert.True(DateTime.UtcNow < until, $"no row for {videoId} after {timeout.TotalSeconds:0} s");
            await Task.Delay(100);
        }
    }
}
