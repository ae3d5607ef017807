using Azure;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using ServerlessVideo.Core;
using ServerlessVideo.Pipeline.Orchestration;
using ServerlessVideo.Pipeline.Storage;
using ServerlessVideo.Pipeline.Telemetry;

namespace ServerlessVideo.Host.Watching;

/// <summary>
/// Azurite has no Event Grid or change feed, so the local host lists the videos container. Each (name, ETag) is
/// claimed once with a conditional insert (409 = another watcher has it), then started through the shared
/// <see cref="VideoStarter"/>. A claim left unstarted by a crashed watcher is taken over after a grace period.
/// It lists every <see cref="LocalHostOptions.WatchInterval"/> while this worker runs no task, and every
/// <see cref="LocalHostOptions.BusyWatchInterval"/> while it does.
/// </summary>
public sealed partial class BlobWatcher(
    StorageClients storage,
    VideoStarter starter,
    DurableTaskClient client,
    PipelineTelemetry telemetry,
    IOptions<LocalHostOptions> options,
    TimeProvider time,
    ILogger<BlobWatcher> logger) : BackgroundService
{
    private static readonly TimeSpan ClaimGrace = TimeSpan.FromSeconds(30);
    private readonly HashSet<string> _done = new(StringComparer.Ordinal);
    /// <summary>Up to this many claimed videos are started together: the rest are claimed after those have started.</summary>
    private const int StartTogether = 50;

    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private TableClient? _claims;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.WatchInterval, time);
        var scannedAt = long.MinValue;
        do
        {
            if (scannedAt != long.MinValue && !ScanDue(telemetry.TasksRunning, time.GetElapsedTime(scannedAt), options.Value.BusyWatchInterval))
            {
                continue;
            }

            scannedAt = time.GetTimestamp();
            try
            {
                // Inside the loop so storage that is down when the host starts is waited for, not fatal.
                if (_claims is null)
                {
                    await storage.EnsureCreatedAsync();
                    var claims = storage.Table(options.Value.ClaimsTable);
                    await claims.CreateIfNotExistsAsync(stoppingToken);
                    _claims = claims;
                }

                await ScanOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (StorageFailures.IsStorageFailure(ex))
            {
                // Includes the AggregateException the SDK throws once its retries are spent, and the durable client's
                // wrapped storage errors: an outage must not end the watcher (and with it the host).
                LogScanFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Whether a tick lists the container: always while no task runs, else once the busy interval has passed.</summary>
    public static bool ScanDue(int tasksRunning, TimeSpan sinceLastScan, TimeSpan busyInterval) =>
        tasksRunning == 0 || sinceLastScan >= busyInterval;

    /// <summary>
    /// Lists the container once and starts every blob version not seen before: those it claims are started together
    /// (<see cref="VideoStarter.StartManyAsync"/>), so a batch dropped at once asks for its slots in one go.
    /// </summary>
    public async Task ScanOnceAsync(CancellationToken cancellationToken)
    {
        var container = storage.Videos.Name;
        var claimed = new List<(string Id, VideoStarter.Upload Upload)>();
        await foreach (var blob in storage.Videos.GetBlobsAsync(cancellationToken: cancellationToken))
        {
            var etag = blob.Properties.ETag?.ToString().Trim('"') ?? string.Empty;
            var id = VideoIds.FromBlob(container, blob.Name, etag);
            if (_done.Contains(id))
            {
                continue;
            }

            var claim = await TryClaimAsync(id, blob.Name, etag, cancellationToken);
            if (claim == Claim.Mine)
            {
                claimed.Add((id, new VideoStarter.Upload(container, blob.Name, etag)));
                if (claimed.Count == StartTogether)
                {
                    // Well within the claims' grace: a claim left unstarted that long is another watcher's to take.
                    await StartClaimedAsync(claimed, cancellationToken);
                }
            }
            else if (claim == Claim.TheirsStarted)
            {
                _done.Add(id);
            }

            // A claim another watcher holds but has not started yet is looked at again on the next scan.
        }

        await StartClaimedAsync(claimed, cancellationToken);
    }

    /// <summary>Starts the claimed videos together, marks their claims started, and empties the list.</summary>
    private async Task StartClaimedAsync(List<(string Id, VideoStarter.Upload Upload)> claimed, CancellationToken cancellationToken)
    {
        if (claimed.Count == 0)
        {
            return;
        }

        await starter.StartManyAsync(client, [.. claimed.Select(c => c.Upload)], time.GetUtcNow(), cancellationToken);
        foreach (var (id, upload) in claimed)
        {
            await _claims!.UpdateEntityAsync(
                new ClaimRow { PartitionKey = id, BlobName = upload.BlobName, BlobETag = upload.ETag, State = ClaimRow.Started, Owner = _owner },
                ETag.All, TableUpdateMode.Replace, cancellationToken);
            _done.Add(id);
        }

        claimed.Clear();
    }

    private enum Claim
    {
        Mine,
        TheirsStarted,
        TheirsPending,
    }

    private async Task<Claim> TryClaimAsync(string id, string name, string etag, CancellationToken cancellationToken)
    {
        var claim = new ClaimRow { PartitionKey = id, BlobName = name, BlobETag = etag, Owner = _owner };
        try
        {
            await _claims!.AddEntityAsync(claim, cancellationToken);
            return Claim.Mine;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            var existing = await _claims!.GetEntityAsync<ClaimRow>(id, ClaimRow.Key, cancellationToken: cancellationToken);
            if (existing.Value.State == ClaimRow.Started)
            {
                return Claim.TheirsStarted;
            }

            // This watcher's own, left unstarted when starting its scan's videos failed: this scan starts it.
            if (existing.Value.Owner == _owner)
            {
                return Claim.Mine;
            }

            if (existing.Value.Timestamp is not { } at || time.GetUtcNow() - at <= ClaimGrace)
            {
                return Claim.TheirsPending;
            }

            // Take over a claim whose owner died between claiming and starting; the ETag condition lets one taker win.
            try
            {
                await _claims.UpdateEntityAsync(claim, existing.Value.ETag, TableUpdateMode.Replace, cancellationToken);
                return Claim.Mine;
            }
            catch (RequestFailedException conflict) when (conflict.Status == 412)
            {
                return Claim.TheirsPending;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scanning the videos container failed; retrying on the next tick")]
    private static partial void LogScanFailed(ILogger logger, Exception exception);
}
