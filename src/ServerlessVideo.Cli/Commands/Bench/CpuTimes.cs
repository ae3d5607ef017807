using System.Diagnostics;
using System.Globalization;

namespace ServerlessVideo.Cli.Commands.Bench;

/// <summary>
/// CPU time and memory of processes as Linux reports them in <c>/proc</c>: a process's own user+system time, the time
/// of its waited-for children (what <c>getrusage(RUSAGE_CHILDREN)</c> returns: every ffmpeg/ffprobe this process ran
/// and reaped), and peak resident memory. Elsewhere than Linux the readers return null.
/// </summary>
public static class CpuTimes
{
    /// <summary>
    /// Clock ticks per second of the <c>/proc/&lt;pid&gt;/stat</c> time fields (<c>sysconf(_SC_CLK_TCK)</c>, which is
    /// 100 on every Linux x86-64 and arm64 kernel configuration in use): a resolution of 10 ms.
    /// </summary>
    public const double ClockTicksPerSecond = 100;

    /// <summary>
    /// The four time fields of one <c>/proc/&lt;pid&gt;/stat</c> line, in clock ticks: utime (field 14), stime (15),
    /// cutime (16), cstime (17). The command name (field 2) is in parentheses and may itself hold spaces and
    /// parentheses, so the fields are counted from the last <c>)</c>.
    /// </summary>
    public static (long User, long System, long ChildrenUser, long ChildrenSystem) ParseStat(string stat)
    {
        ArgumentNullException.ThrowIfNull(stat);
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            throw new FormatException("Not a /proc/<pid>/stat line: no ')' after the command name.");
        }

        // After ") " come field 3 (state), 4 (ppid) … so field n is at index n − 3.
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 15)
        {
            throw new FormatException($"A /proc/<pid>/stat line with {fields.Length + 2} fields; at least 17 expected.");
        }

        long At(int field) => long.Parse(fields[field - 3], NumberStyles.Integer, CultureInfo.InvariantCulture);
        return (At(14), At(15), At(16), At(17));
    }

    /// <summary>A value in kB of one line of <c>/proc/&lt;pid&gt;/status</c> (<c>VmHWM</c>, <c>VmRSS</c>); null when absent.</summary>
    public static long? ParseStatusKb(string status, string key)
    {
        ArgumentNullException.ThrowIfNull(status);
        foreach (var line in status.Split('\n'))
        {
            if (line.StartsWith(key + ":", StringComparison.Ordinal))
            {
                var value = line[(key.Length + 1)..].Trim();
                var space = value.IndexOf(' ', StringComparison.Ordinal);
                return long.Parse(space < 0 ? value : value[..space], NumberStyles.Integer, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    /// <summary>User + system time of process <paramref name="pid"/>; null when it is gone or this is not Linux.</summary>
    public static TimeSpan? OfProcess(int pid) =>
        ReadStat(pid.ToString(CultureInfo.InvariantCulture)) is { } s ? Ticks(s.User + s.System) : null;

    /// <summary>User + system time of this process's terminated, waited-for children (and theirs).</summary>
    public static TimeSpan? OfChildren() =>
        ReadStat("self") is { } s ? Ticks(s.ChildrenUser + s.ChildrenSystem) : null;

    /// <summary>This process's own CPU time (all its threads; not its children).</summary>
    public static TimeSpan OfSelf()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>Peak resident set (<c>VmHWM</c>) of <paramref name="pid"/> in bytes; null when unreadable.</summary>
    public static long? PeakRssBytes(int pid) => StatusKb(pid, "VmHWM") * 1024;

    /// <summary>Current resident set (<c>VmRSS</c>) of <paramref name="pid"/> in bytes; null when unreadable.</summary>
    public static long? RssBytes(int pid) => StatusKb(pid, "VmRSS") * 1024;

    private static long? StatusKb(int pid, string key)
    {
        try
        {
            return ParseStatusKb(File.ReadAllText($"/proc/{pid}/status"), key);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static (long User, long System, long ChildrenUser, long ChildrenSystem)? ReadStat(string pid)
    {
        try
        {
            return ParseStat(File.ReadAllText($"/proc/{pid}/stat"));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static TimeSpan Ticks(long ticks) => TimeSpan.FromSeconds(ticks / ClockTicksPerSecond);
}
