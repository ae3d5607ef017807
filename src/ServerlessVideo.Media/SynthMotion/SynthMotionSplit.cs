namespace ServerlessVideo.Media.SynthMotion;

/// <summary>
/// Disjoint seed ranges: a clip is a pure function of its seed, so train, validation and test never share a clip,
/// and the test split is never seen in training. <see cref="Fresh"/> draws seeds outside all three.
/// </summary>
public enum SynthMotionSplit
{
    Train = 0,
    Validation = 1,
    Test = 2,
    Fresh = 3,
}

/// <summary>Seeds of each split.</summary>
public static class SynthMotionSeeds
{
    private const int SplitSize = 10_000_000;

    /// <summary>The <paramref name="index"/>-th seed of <paramref name="split"/>.</summary>
    public static int Of(SynthMotionSplit split, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, SplitSize);
        return ((int)split * SplitSize) + index;
    }
}
