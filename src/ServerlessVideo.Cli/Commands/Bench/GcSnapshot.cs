namespace ServerlessVideo.Cli.Commands.Bench;

/// <summary>
/// Garbage collections so far in this process (the host runs in it), by generation, the time they paused it, and the
/// methods compiled and the time that took; the difference of two snapshots is what a time window cost. A gen2
/// collection marks the whole heap (in the background while the program runs), so gen2 counts are the ones that cost
/// the worker CPU.
/// </summary>
internal sealed record GcSnapshot(int Gen0, int Gen1, int Gen2, TimeSpan Pause, long JitMethods, TimeSpan JitTime)
{
    public static GcSnapshot Take() => new(
        GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(),
        System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime());

    /// <summary>Two windows together.</summary>
    public GcSnapshot Plus(GcSnapshot other) =>
        new(Gen0 + other.Gen0, Gen1 + other.Gen1, Gen2 + other.Gen2, Pause + other.Pause, JitMethods + other.JitMethods, JitTime + other.JitTime);

    /// <summary>What happened between <paramref name="before"/> and this snapshot.</summary>
    public GcSnapshot Since(GcSnapshot before) =>
        new(Gen0 - before.Gen0, Gen1 - before.Gen1, Gen2 - before.Gen2, Pause - before.Pause, JitMethods - before.JitMethods, JitTime - before.JitTime);
}
