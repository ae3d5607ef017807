namespace ServerlessVideo.Pipeline.Activities;

/// <summary>
/// Marks a video's row Running, at once or only once its work has lasted <c>after</c>: a short video is usually final
/// within a second, and its row then goes from Queued to its final status with no Running write between (the row and its
/// index entry: two storage writes fewer per video). <see cref="SettleAsync"/> comes before the final write, so a mark
/// never lands on top of it; disposing drops a mark not yet made and waits for one under way.
/// </summary>
public sealed class RunningMark : IAsyncDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly Func<Task<DateTimeOffset>> _mark;
    private readonly Action<Exception> _failed;
    private Task<DateTimeOffset?> _marking = Task.FromResult<DateTimeOffset?>(null);
    private bool _disposed;

    private RunningMark(Func<Task<DateTimeOffset>> mark, Action<Exception> failed, DateTimeOffset now)
    {
        _mark = mark;
        _failed = failed;
        StartedAt = now;
    }

    /// <summary>
    /// When the video started, as far as known now: what the mark returned once it is made (a row an earlier run of
    /// this activity marked keeps its start), else <c>now</c>.
    /// </summary>
    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>
    /// Starts the mark: <paramref name="mark"/> (which returns the start the row keeps) runs at once when
    /// <paramref name="after"/> is zero, else after that delay unless settled or disposed first. A delayed mark that
    /// fails is told to <paramref name="failed"/> and counts as not made (the row's next write is what matters).
    /// </summary>
    public static async Task<RunningMark> StartAsync(Func<Task<DateTimeOffset>> mark, Action<Exception> failed, DateTimeOffset now, TimeSpan after)
    {
        ArgumentNullException.ThrowIfNull(mark);
        ArgumentNullException.ThrowIfNull(failed);
        var running = new RunningMark(mark, failed, now);
        if (after <= TimeSpan.Zero)
        {
            running.StartedAt = await mark();
            running._marking = Task.FromResult<DateTimeOffset?>(running.StartedAt);
            return running;
        }

        running._marking = running.MarkLaterAsync(after, running._cancel.Token);
        return running;
    }

    /// <summary>
    /// Before the row's next write (its final one, or its failure): drops the mark if it is not due yet, waits for it if
    /// it is under way, and returns the start to record.
    /// </summary>
    public async Task<DateTimeOffset> SettleAsync()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
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
        var settled = await SettleAsync();
        if (await _marking is not null)
        {
            return settled;
        }

        StartedAt = await _mark();
        _marking = Task.FromResult<DateTimeOffset?>(StartedAt);
        return StartedAt;
    }

    /// <summary>
    /// Drops a mark not yet due and waits for one under way (which, during a storage outage, may take the storage
    /// client's whole retry budget, as the mark made at once would have).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _cancel.CancelAsync();
        await _marking;
        _cancel.Dispose();
    }

    private async Task<DateTimeOffset?> MarkLaterAsync(TimeSpan after, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(after, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            // Settled just as the delay ran out: the row's next write follows.
            return null;
        }

        try
        {
            return await _mark();
        }
        catch (Exception ex)
        {
            _failed(ex);
            return null;
        }
    }
}
