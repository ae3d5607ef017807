namespace ServerlessVideo.Pipeline.Orchestration;

/// <summary>Per-stage wall time measured with the orchestration's replay-safe clock, milliseconds.</summary>
internal sealed class StageClock(DateTime start)
{
    private readonly Dictionary<string, double> _stages = new(StringComparer.Ordinal);
    private DateTime _last = start;

    public void Lap(string stage, DateTime now)
    {
        _stages[stage] = Math.Round((now - _last).TotalMilliseconds, 1);
        _last = now;
    }

    /// <summary>One lap shared by two stages: <paramref name="first"/> took <paramref name="firstMs"/> of it (at most all), <paramref name="second"/> the rest.</summary>
    public void Split(string first, double firstMs, string second, DateTime now)
    {
        var total = Math.Round((now - _last).TotalMilliseconds, 1);
        var head = Math.Clamp(Math.Round(firstMs, 1), 0, total);
        _stages[first] = head;
        _stages[second] = Math.Round(total - head, 1);
        _last = now;
    }

    public IReadOnlyDictionary<string, double> Snapshot() => new Dictionary<string, double>(_stages, StringComparer.Ordinal);
}
