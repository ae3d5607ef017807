using System.Diagnostics;
using System.Globalization;

namespace ServerlessVideo.Cli.Commands.Bench;

/// <summary>What every scenario shares: the in-process host, the report, where files go, and progress lines.</summary>
internal sealed class BenchContext(BenchHost host, BenchReport report, TextWriter output, bool quick, string stateFolder, int? azuritePid)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public BenchHost Host => host;

    public BenchReport Report => report;

    public bool Quick => quick;

    /// <summary>Azurite's process id (from <c>SV_AZURITE_PID</c>), for its CPU time; null when unknown.</summary>
    public int? AzuritePid => azuritePid;

    /// <summary>Encoded test videos, kept between runs (they are deterministic), under the sv state folder.</summary>
    public string MediaFolder { get; } = Directory.CreateDirectory(Path.Combine(stateFolder, "bench", "media")).FullName;

    /// <summary>Scratch space of this run, deleted at the end.</summary>
    public string ScratchFolder { get; } = Directory.CreateDirectory(Path.Combine(stateFolder, "bench", "scratch-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture))).FullName;

    /// <summary>A short unique tag of this run for blob, container, table and task-hub names (lowercase letters and digits).</summary>
    public string RunId { get; } = "b" + DateTime.UtcNow.ToString("MMddHHmmss", CultureInfo.InvariantCulture);

    /// <summary>One progress line: seconds since the bench started, then what is happening.</summary>
    public void Phase(string text) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{_clock.Elapsed.TotalSeconds,6:0.0}s] {text}"));
}
