namespace ServerlessVideo.Cli.Commands.Bench;

/// <summary>Small statistics for the bench: percentiles and ratios.</summary>
public static class BenchStats
{
    /// <summary>
    /// The <paramref name="percent"/>-th percentile (0–100) with linear interpolation between the closest ranks (numpy's
    /// default): the median of 1, 2, 3, 4 is 2.5, the 95th of 1…20 is 19.05. Null for no values.
    /// </summary>
    public static double? Percentile(IEnumerable<double> values, double percent)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        var rank = percent / 100 * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((rank - low) * (sorted[high] - sorted[low]));
    }

    /// <summary>The median (50th percentile); null for no values.</summary>
    public static double? Median(IEnumerable<double> values) => Percentile(values, 50);

    /// <summary><paramref name="a"/> / <paramref name="b"/>; null when either is missing or <paramref name="b"/> is not positive.</summary>
    public static double? Ratio(double? a, double? b) => a is { } x && b is { } y && y > 0 ? x / y : null;

    /// <summary>
    /// What doing the work through the pipeline cost beyond doing it directly: <paramref name="pipeline"/> CPU seconds
    /// less <paramref name="direct"/>, never below zero (noise can make the direct side the larger); null when either
    /// side is unknown.
    /// </summary>
    public static double? Beyond(double? pipeline, double? direct) => pipeline is { } p && direct is { } d ? Math.Max(0, p - d) : null;

    /// <summary>
    /// <see cref="Beyond"/> of the means: batches through the pipeline and direct runs of the same work taken in turns,
    /// so both sides see the same moments of a shared machine; null when either side has no run.
    /// </summary>
    public static double? MeanBeyond(IReadOnlyCollection<double> pipeline, IReadOnlyCollection<double> direct)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(direct);
        return pipeline.Count == 0 || direct.Count == 0 ? null : Beyond(pipeline.Average(), direct.Average());
    }
}
