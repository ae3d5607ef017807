namespace ServerlessVideo.Training.Nets.Blocks;

/// <summary>
/// Counts multiply-accumulates as blocks run, from the shapes they really see: one forward pass of one clip under
/// <see cref="Measure"/> gives the network's cost per clip (what the exported graph computes, masks included).
/// </summary>
public static class MacCounter
{
    [ThreadStatic]
    private static long? _count;

    public static void Add(long macs)
    {
        if (_count is not null)
        {
            _count += macs;
        }
    }

    public static long Measure(Action forward)
    {
        ArgumentNullException.ThrowIfNull(forward);
        _count = 0;
        try
        {
            forward();
            return _count.Value;
        }
        finally
        {
            _count = null;
        }
    }
}
