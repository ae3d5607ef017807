namespace ServerlessVideo.Pipeline.Activities;

/// <summary>
/// Marks a video's row Running, at once or only once its work has lasted <c>after</c>: a short video is usually final
/// within a second, and its row then goes from Queued to its final status with no Running write between (the row and its
/// index entry: two storage writes fewer per video). <see cref="SettleAsync"/> comes before the final write, so a mark
/// never lands on top of it; disposing drops a mark not yet made.
/// </summary>
public sealed class RunningMark : IAsyncDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly Func<Task<DateTimeOffset>> _mark;
    private readonly Action<Exception> _failed;
    private Task<DateTimeOffset?> _marking = Task.FromResult<DateTimeOffset?>(null);

    private RunningMark(Func<Task<DateTimeOffset>> mark, Action<Exception> failed, DateTimeOffset now)
    {
        _mark = mark;
        _failed = failed;
        StartedAt = now;
    }

    /// <summary>
    /// When the video started, as far as known now: what the mark returned when it was made at once, else
    /// <c>now</c>, which <see cref="SettleAsync"/> may still correct (a row a previous run marked keeps its start).
    /// </summary>
    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>
    /// Starts the mark: <paramref name="mark"/> (which returns the start the row keeps) runs at once when
    /// <paramref name="after"/> is zero, else after that delay unless settled or disposed first. A delayed mark that
    /// fails is told to <paramref name="failed"/> and counts as not made: the final write follows, and it is what matters.
    /// </summary>
    public static async Task<RunningMark> StartAsync(Func<Task<DateTimeOffset>> mark, Action<Exception> failed, DateTimeOffset now, TimeSpan after)
    {
        ArgumentNullException.ThrowIfNull(mark);
        ArgumentNullException.ThrowIfNull(failed);
        var running = new RunningMark(mark, failed, now);
        if (after <= TimeSpan.Zero)
        {
            running.StartedAt = await mark();
            return running;
        }

        running._marking = running.MarkLaterAsync(after, running._cancel.Token);
        return running;
    }

    /// <summary>
    /// Before the final write: drops the mark if it is not due yet, waits for it if it is under way, and returns the
    /// start to record.
    /// </summary>
    public async Task<DateTimeOffset> SettleAsync()
    {
        await _cancel.CancelAsync();
        if (await _marking is { } marked)
        {
            StartedAt = marked;
        }

        return StartedAt;
    }

    /// <summary>The work goes on in other activities: the row says Running from now on, if it does not yet.</summary>
    public async Task<DateTimeOffset> MarkNowAsync()
    {
        await _cancel.CancelAsync();
        if (await _marking is { } marked)
        {
            return StartedAt = marked;
        }

        StartedAt = await _mark();
        _marking = Task.FromResult<DateTimeOffset?>(StartedAt);
        return StartedAt;
    }

    public async ValueTask DisposeAsync()
    {
        await _cancel.CancelAsync();
        await _marking;
        _cancel.Dispose();
    }

    private async Task<DateTimeOffset?> MarkLaterAsync(TimeSpan after, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(after, cancellationToken);
            return await _mark();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex)
        {
            _failed(ex);
            return null;
        }
    }
}
