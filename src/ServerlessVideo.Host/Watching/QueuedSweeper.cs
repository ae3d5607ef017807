using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using ServerlessVideo.Pipeline.Orchestration;
using ServerlessVideo.Pipeline.Storage;

namespace ServerlessVideo.Host.Watching;

/// <summary>
/// The watcher lists the container every few seconds, so a blob version deleted or overwritten between an upload and
/// the next listing is never seen. Uploads through <c>sv submit</c> record a Queued row first; this settles such rows
/// (<see cref="VideoStarter.SettleStaleAsync"/>): started if the version still exists, <c>NOT_FOUND</c> if not.
/// </summary>
public sealed partial class QueuedSweeper(
    VideoStarter starter,
    DurableTaskClient client,
    IOptions<LocalHostOptions> options,
    TimeProvider time,
    ILogger<QueuedSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await starter.SettleStaleAsync(client, options.Value.QueuedGrace, time.GetUtcNow(), stoppingToken);
            }
            catch (Exception ex) when (StorageFailures.IsStorageFailure(ex))
            {
                // An outage (including the SDK's AggregateException once its retries are spent) must not end the
                // sweeper, and with it the host: the next tick tries again.
                LogSweepFailed(logger, ex);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogSweepError(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Settling queued videos failed; retrying on the next tick")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Settling queued videos failed unexpectedly; retrying on the next tick")]
    private static partial void LogSweepError(ILogger logger, Exception exception);
}
