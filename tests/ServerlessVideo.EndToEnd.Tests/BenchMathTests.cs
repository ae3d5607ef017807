using ServerlessVideo.Cli;
using ServerlessVideo.Cli.Commands.Bench;

namespace ServerlessVideo.EndToEnd.Tests;

/// <summary>The pure parts of <c>sv bench</c>: percentiles, /proc parsing, scenario selection.</summary>
public sealed class BenchMathTests
{
    [Fact]
    public void Percentiles_interpolate_between_the_closest_ranks_like_numpy()
    {
        Assert.Equal(2.5, BenchStats.Median([4, 1, 3, 2]));
        Assert.Equal(3, BenchStats.Median([5, 1, 3]));
        Assert.Equal(19.05, BenchStats.Percentile(Enumerable.Range(1, 20).Select(i => (double)i), 95)!.Value, 9);
        Assert.Equal(7, BenchStats.Percentile([7], 95));
        Assert.Null(BenchStats.Percentile([], 50));
        Assert.Equal(1, BenchStats.Percentile([3, 1, 2], 0));
        Assert.Equal(3, BenchStats.Percentile([3, 1, 2], 100));
    }

    [Fact]
    public void A_ratio_needs_both_sides_and_a_positive_divisor()
    {
        Assert.Equal(2, BenchStats.Ratio(4, 2));
        Assert.Null(BenchStats.Ratio(null, 2));
        Assert.Null(BenchStats.Ratio(4, 0));
    }

    [Fact]
    public void What_the_pipeline_costs_beyond_the_direct_work_needs_both_sides_and_is_never_negative()
    {
        Assert.Equal(5.5, BenchStats.Beyond(21.5, 16.0));
        Assert.Equal(0, BenchStats.Beyond(16.0, 16.4));
        Assert.Null(BenchStats.Beyond(null, 16.0));
        Assert.Null(BenchStats.Beyond(21.5, null));
    }

    [Fact]
    public void Batches_and_direct_runs_taken_in_turns_are_compared_by_their_means()
    {
        Assert.Equal(3.0, BenchStats.MeanBeyond([21.0, 23.0], [18.0, 20.0])!.Value, 9);
        Assert.Equal(2.5, BenchStats.MeanBeyond([21.0, 22.0], [19.0])!.Value, 9);
        Assert.Equal(0.0, BenchStats.MeanBeyond([18.0], [19.0, 20.0]));
        Assert.Null(BenchStats.MeanBeyond([21.0], []));
        Assert.Null(BenchStats.MeanBeyond([], [18.0]));
    }

    [Fact]
    public void Stat_times_are_counted_from_the_last_parenthesis_so_odd_command_names_do_not_shift_them()
    {
        // Fields 14–17 are utime, stime, cutime, cstime; the command name holds spaces and a ')'.
        var stat = "4242 (node ) odd) S 1 4242 4242 0 -1 4194560 9000 0 0 0 1234 567 89 10 20 0 11 0 123456 1000000 2000 18446744073709551615";
        Assert.Equal((1234L, 567L, 89L, 10L), CpuTimes.ParseStat(stat));
    }

    [Fact]
    public void This_process_has_readable_times_and_a_peak_resident_set_on_linux()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        Assert.True(CpuTimes.OfProcess(Environment.ProcessId) > TimeSpan.Zero);
        Assert.NotNull(CpuTimes.OfChildren());
        // The peak read after the current size is at least that size (the resident set may grow in between).
        var rss = CpuTimes.RssBytes(Environment.ProcessId);
        var peak = CpuTimes.PeakRssBytes(Environment.ProcessId);
        Assert.True(rss > 0 && peak >= rss, $"VmRSS {rss}, VmHWM {peak}");
        Assert.Null(CpuTimes.OfProcess(int.MaxValue));
    }

    [Fact]
    public void Status_values_are_read_in_kilobytes_by_key()
    {
        const string status = "Name:\tdotnet\nVmPeak:\t 3000000 kB\nVmHWM:\t  271234 kB\nVmRSS:\t  170000 kB\n";
        Assert.Equal(271234, CpuTimes.ParseStatusKb(status, "VmHWM"));
        Assert.Equal(170000, CpuTimes.ParseStatusKb(status, "VmRSS"));
        Assert.Null(CpuTimes.ParseStatusKb(status, "VmSwap"));
    }

    [Fact]
    public void Only_selects_known_scenarios_in_run_order()
    {
        Assert.Equal(BenchCommand.Scenarios, BenchCommand.Select(null));
        Assert.Equal(new[] { "batch", "rss" }, BenchCommand.Select("rss, batch"));
        var error = Assert.Throws<CliException>(() => BenchCommand.Select("batch,gpu"));
        Assert.Contains("gpu", error.Message, StringComparison.Ordinal);
    }
}
