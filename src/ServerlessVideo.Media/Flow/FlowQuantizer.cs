namespace ServerlessVideo.Media.Flow;

/// <summary>
/// Flow (pixels per frame, float) ↔ bytes as two-stream networks store it (mmaction2, denseflow): each component is
/// clipped to ±bound and mapped linearly onto 0…255, <c>q = round((f + bound) · 255 / (2·bound))</c>, so 127.5 is
/// zero motion and one step is 2·bound/255 px. Round-trip error is at most half a step, <c>bound/255</c>, inside ±bound.
/// </summary>
/// <remarks>
/// Typical bound: 20 px at 224×224 (the two-stream convention). At 64×64 the same scene moves ~3.5× fewer pixels, so
/// a smaller bound (about 6–8 px) keeps more of the 256 levels in use; the bound is part of a model's manifest and
/// training and serving must use the same one.
/// </remarks>
public static class FlowQuantizer
{
    /// <summary>The usual bound at 224×224, in pixels.</summary>
    public const double DefaultBound = 20.0;

    /// <summary>Quantises one component. Values beyond ±<paramref name="bound"/> (and infinities) clip; NaN maps to zero motion.</summary>
    public static byte Quantize(float value, double bound)
    {
        CheckBound(bound);
        return QuantizeCore(value, (float)bound, (float)(255.0 / (2.0 * bound)));
    }

    /// <summary>The flow value a byte stands for: <c>q · 2·bound / 255 − bound</c>.</summary>
    public static float Dequantize(byte quantized, double bound)
    {
        CheckBound(bound);
        return (float)((quantized * (2.0 * bound) / 255.0) - bound);
    }

    /// <summary>Quantises every value of <paramref name="flow"/> into <paramref name="destination"/> (same length).</summary>
    public static void Quantize(ReadOnlySpan<float> flow, double bound, Span<byte> destination)
    {
        CheckBound(bound);
        if (destination.Length != flow.Length)
        {
            throw new ArgumentException($"Destination has {destination.Length} bytes for {flow.Length} values.", nameof(destination));
        }

        var b = (float)bound;
        var scale = (float)(255.0 / (2.0 * bound));
        for (var i = 0; i < flow.Length; i++)
        {
            destination[i] = QuantizeCore(flow[i], b, scale);
        }
    }

    /// <summary>Dequantises every byte of <paramref name="quantized"/> into <paramref name="destination"/> (same length).</summary>
    public static void Dequantize(ReadOnlySpan<byte> quantized, double bound, Span<float> destination)
    {
        CheckBound(bound);
        if (destination.Length != quantized.Length)
        {
            throw new ArgumentException($"Destination has {destination.Length} values for {quantized.Length} bytes.", nameof(destination));
        }

        // One table of 256 values instead of a multiply per element; identical to Dequantize(byte, double).
        Span<float> table = stackalloc float[256];
        for (var q = 0; q < 256; q++)
        {
            table[q] = (float)((q * (2.0 * bound) / 255.0) - bound);
        }

        for (var i = 0; i < quantized.Length; i++)
        {
            destination[i] = table[quantized[i]];
        }
    }

    private static byte QuantizeCore(float value, float bound, float scale)
    {
        if (float.IsNaN(value))
        {
            value = 0f;
        }

        var clipped = Math.Clamp(value, -bound, bound);

        // Non-negative after the shift, so rounding half away from zero is plain "round half up".
        var q = MathF.Round((clipped + bound) * scale, MidpointRounding.AwayFromZero);
        return (byte)Math.Clamp(q, 0f, 255f);
    }

    private static void CheckBound(double bound)
    {
        if (!double.IsFinite(bound) || bound <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bound), bound, "The flow bound must be a positive number of pixels.");
        }
    }
}
