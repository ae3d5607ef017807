using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

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
    ILogger<HistoryPurger> logger) : PeriodicStorageTask(time, logger)
{
    private readonly TimeProvider _time = time;
    private readonly ILogger _logger = logger;

    /// <summary>Never runs when the retention is zero (history kept for ever).</summary>
    protected override TimeSpan Interval =>
        options.Value.HistoryRetention > TimeSpan.Zero ? options.Value.HistoryPurgeInterval : TimeSpan.Zero;

    protected override string Name => "Purging durable history";

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var purged = await client.PurgeAllInstancesAsync(
            new PurgeInstancesFilter(null, _time.GetUtcNow() - options.Value.HistoryRetention, [OrchestrationRuntimeStatus.Completed]),
            cancellation: cancellationToken);
        if (purged.PurgedInstanceCount > 0)
        {
            LogPurged(_logger, purged.PurgedInstanceCount);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Purged the durable history of {Count} completed videos")]
    private static partial void LogPurged(ILogger logger, int count);
}
