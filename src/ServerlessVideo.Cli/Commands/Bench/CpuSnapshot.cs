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

    /// <summary>What was used between <paramref name="before"/> and this snapshot.</summary>
    public CpuSnapshot Since(CpuSnapshot before) => new(Host - before.Host, Children - before.Children, Azurite - before.Azurite);
}
