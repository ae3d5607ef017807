using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using ServerlessVideo.Pipeline.Orchestration;

namespace ServerlessVideo.Host.Watching;

/// <summary>
/// The watcher lists the container every few seconds, so a blob version deleted or overwritten between an upload and
/// the next listing is never seen. Uploads through <c>sv submit</c> record a Queued row first; this settles such rows
/// (<see cref="VideoStarter.SettleStaleAsync"/>): started if the version still exists, <c>NOT_FOUND</c> if not. It also
/// makes sure the admission watch runs while any video is in line (<see cref="VideoStarter.WatchLineAsync"/>).
/// </summary>
public sealed class QueuedSweeper(
    VideoStarter starter,
    DurableTaskClient client,
    IOptions<LocalHostOptions> options,
    TimeProvider time,
    ILogger<QueuedSweeper> logger) : PeriodicStorageTask(time, logger)
{
    private readonly TimeProvider _time = time;

    protected override TimeSpan Interval => options.Value.SweepInterval;

    protected override string Name => "Settling queued videos";

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await starter.SettleStaleAsync(client, options.Value.QueuedGrace, _time.GetUtcNow(), cancellationToken);
        await starter.WatchLineAsync(client, cancellationToken);
    }
}
