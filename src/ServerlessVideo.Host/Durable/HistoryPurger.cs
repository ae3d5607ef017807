using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using ServerlessVideo.Pipeline.Storage;

namespace ServerlessVideo.Host.Durable;

/// <summary>
/// Deletes the durable history of orchestrations that completed more than <see cref="LocalHostOptions.HistoryRetention"/>
/// ago. A video's results live in its own table rows, written before its orchestration completes, so the history is
/// only the engine's bookkeeping; left alone it grows with every video, and Azurite's table reads slow down with it
/// (a 40-video batch cost Azurite 46 % more CPU on a task hub that had kept a few hundred videos' histories). Failed
/// and terminated instances are kept: the API reads them to report a video whose orchestration ended without its row.
/// </summary>
public sealed partial class HistoryPurger(
    DurableTaskClient client,
    IOptions<LocalHostOptions> options,
    TimeProvider time,
    ILogger<HistoryPurger> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retention = options.Value.HistoryRetention;
        if (retention <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.HistoryPurgeInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var purged = await client.PurgeAllInstancesAsync(
                    new PurgeInstancesFilter(null, time.GetUtcNow() - retention, [OrchestrationRuntimeStatus.Completed]), cancellation: stoppingToken);
                if (purged.PurgedInstanceCount > 0)
                {
                    LogPurged(logger, purged.PurgedInstanceCount);
                }
            }
            catch (Exception ex) when (StorageFailures.IsStorageFailure(ex))
            {
                LogPurgeFailed(logger, ex);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogPurgeError(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Purged the durable history of {Count} completed videos")]
    private static partial void LogPurged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purging durable history failed; retrying on the next tick")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Purging durable history failed unexpectedly; retrying on the next tick")]
    private static partial void LogPurgeError(ILogger logger, Exception exception);
}
