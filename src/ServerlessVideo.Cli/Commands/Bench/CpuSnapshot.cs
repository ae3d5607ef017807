namespace ServerlessVideo.Cli.Commands.Bench;

/// <summary>
/// CPU seconds used so far by this process (the host runs in it), by its reaped children (ffmpeg, ffprobe) and by
/// Azurite; the difference of two snapshots is what a time window cost. Null where the number cannot be read.
/// </summary>
internal sealed record CpuSnapshot(double Host, double? Children, double? Azurite)
{
    public static CpuSnapshot Take(int? azuritePid) => new(
        CpuTimes.OfSelf().TotalSeconds,
        CpuTimes.OfChildren()?.TotalSeconds,
        azuritePid is { } pid ? CpuTimes.OfProcess(pid)?.TotalSeconds : null);

    /// <summary>All three together (a party not measured counts as zero).</summary>
    public double Total => Host + (Children ?? 0) + (Azurite ?? 0);

    /// <summary>The mean of several windows; a party is known only when it was in every one.</summary>
    public static CpuSnapshot Mean(IReadOnlyList<CpuSnapshot> windows)
    {
        ArgumentOutOfRangeException.ThrowIfZero(windows.Count);
        return new(
            windows.Average(w => w.Host),
            windows.All(w => w.Children is not null) ? windows.Average(w => w.Children!.Value) : null,
            windows.All(w => w.Azurite is not null) ? windows.Average(w => w.Azurite!.Value) : null);
    }

    /// <summary>What was used between <paramref name="before"/> and this snapshot.</summary>
    public CpuSnapshot Since(CpuSnapshot before) => new(Host - before.Host, Children - before.Children, Azurite - before.Azurite);
}
