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

    /// <summary>
    /// A well-mixed generator state for a seed. System.Random's first outputs for consecutive seeds lie almost on a
    /// line, which would make a split's scenes drift with its seed range; an avalanche hash of the seed removes that.
    /// Deterministic on every platform and run (unlike <see cref="HashCode"/>).
    /// </summary>
    public static int Mix(int seed, int stream = 0)
    {
        unchecked
        {
            var z = (uint)seed + (0x9E3779B9u * (uint)(stream + 1));
            z = (z ^ (z >> 16)) * 0x85EBCA6Bu;
            z = (z ^ (z >> 13)) * 0xC2B2AE35u;
            z ^= z >> 16;
            return (int)(z & 0x7FFFFFFF);
        }
    }
}
