using Azure;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using ServerlessVideo.Pipeline.Orchestration;

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
            catch (Exception ex) when (ex is RequestFailedException or IOException or HttpRequestException)
            {
                LogSweepFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Settling queued videos failed; retrying on the next tick")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
