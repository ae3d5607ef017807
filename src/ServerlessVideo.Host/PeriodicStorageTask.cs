using ServerlessVideo.Pipeline.Storage;

namespace ServerlessVideo.Host;

/// <summary>
/// Runs a piece of storage upkeep every <see cref="Interval"/> until the host stops. A failure is logged and the next
/// tick tries again: an outage (including the SDK's AggregateException once its retries are spent) must not end the
/// task, and with it the host.
/// </summary>
public abstract partial class PeriodicStorageTask(TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>Time between runs; zero or less never runs.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>What the logs call this task, e.g. "Settling queued videos".</summary>
    protected abstract string Name { get; }

    /// <summary>One run.</summary>
    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (StorageFailures.IsStorageFailure(ex))
            {
                LogFailed(logger, ex, Name);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogError(logger, ex, Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Task} failed; retrying on the next tick")]
    private static partial void LogFailed(ILogger logger, Exception exception, string task);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Task} failed unexpectedly; retrying on the next tick")]
    private static partial void LogError(ILogger logger, Exception exception, string task);
}
