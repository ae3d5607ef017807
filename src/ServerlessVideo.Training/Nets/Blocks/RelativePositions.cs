namespace ServerlessVideo.Training.Nets.Blocks;

/// <summary>
/// Rows of a relative position bias table (Swin's): one row per (Δt, Δh, Δw) offset between a query and a key token
/// within an extent of (T, H, W), so (2T − 1)(2H − 1)(2W − 1) rows.
/// </summary>
public static class RelativePositions
{
    public static long Rows((long T, long H, long W) extent) => ((2 * extent.T) - 1) * ((2 * extent.H) - 1) * ((2 * extent.W) - 1);

    /// <summary>The row of the offset query − key.</summary>
    public static long Row((long T, long H, long W) extent, (long T, long H, long W) query, (long T, long H, long W) key)
    {
        var (spanH, spanW) = ((2 * extent.H) - 1, (2 * extent.W) - 1);
        return ((query.T - key.T + extent.T - 1) * spanH * spanW) + ((query.H - key.H + extent.H - 1) * spanW) + (query.W - key.W + extent.W - 1);
    }

    /// <summary>The row of every (query, key) pair of <paramref name="tokens"/>, row-major [L·L].</summary>
    public static long[] Rows((long T, long H, long W) extent, IReadOnlyList<(long T, long H, long W)> tokens) =>
        [.. from a in tokens from b in tokens select Row(extent, a, b)];

    /// <summary>Every position of a (T, H, W) extent, row-major.</summary>
    public static IReadOnlyList<(long T, long H, long W)> Positions((long T, long H, long W) extent) =>
        [.. from t in Range(extent.T) from h in Range(extent.H) from w in Range(extent.W) select (t, h, w)];

    private static IEnumerable<long> Range(long count)
    {
        for (var i = 0L; i < count; i++)
        {
            yield return i;
        }
    }
}
