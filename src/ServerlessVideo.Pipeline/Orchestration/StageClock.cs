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

    public IReadOnlyDictionary<string, double> Snapshot() => new Dictionary<string, double>(_stages, StringComparer.Ordinal);
}
