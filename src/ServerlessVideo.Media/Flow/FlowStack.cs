using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Core.Tensors;

namespace ServerlessVideo.Media.Flow;

/// <summary>
/// The one place RGB clips become quantised flow clips, called by training and by the pipeline alike so both see
/// the same bytes: grayscale each frame with OpenCV's RGB2GRAY weights, compute the flow from frame t to t+1 with the
/// chosen algorithm, and quantise it with <see cref="FlowQuantizer"/>.
/// </summary>
/// <remarks>
/// A pure function of its inputs and thread-safe (training calls it from <c>Parallel.For</c>). Frame pairs run in
/// parallel; the result does not depend on the order they finish in.
/// </remarks>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "A \"flow stack\" is the two-stream term for stacked flow frames, not a Stack<T>.")]
public static class FlowStack
{
    /// <summary>The flow a manifest's <see cref="FlowSpec"/> asks for (algorithm by its manifest name, and bound).</summary>
    public static ClipTensor Compute(ClipTensor rgb, FlowSpec flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        return Compute(rgb, FlowAlgorithmNames.Parse(flow.Algorithm), flow.Bound);
    }

    /// <summary>
    /// Flow of an RGB clip (T×H×W×3) as a flow clip of T−1 frames, H×W, 2 channels (x then y), each byte
    /// <c>round((clip(f, ±bound) + bound)·255/(2·bound))</c>: 127.5 is no motion, larger x is rightward, larger y downward.
    /// </summary>
    /// <param name="rgb">At least two RGB frames (at least 3×3 pixels for TV-L1).</param>
    /// <param name="algorithm">Farnebäck (OpenCV) or TV-L1 (managed, OpenCV 4.x defaults).</param>
    /// <param name="bound">Clipping bound in pixels, e.g. <see cref="FlowQuantizer.DefaultBound"/> (20) at 224×224.</param>
    public static ClipTensor Compute(ClipTensor rgb, FlowAlgorithm algorithm, double bound)
    {
        ArgumentNullException.ThrowIfNull(rgb);
        if (rgb.Channels != ClipTensor.RgbChannels)
        {
            throw new ArgumentException($"Expected an RGB clip ({ClipTensor.RgbChannels} channels), got {rgb.Channels} channels.", nameof(rgb));
        }

        if (rgb.Frames < 2)
        {
            throw new ArgumentException($"Flow needs at least 2 frames, got {rgb.Frames}.", nameof(rgb));
        }

        if (!double.IsFinite(bound) || bound <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bound), bound, "The flow bound must be a positive number of pixels.");
        }

        if (algorithm is not (FlowAlgorithm.Farneback or FlowAlgorithm.TvL1))
        {
            throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown optical-flow algorithm.");
        }

        int w = rgb.Width, h = rgb.Height, t = rgb.Frames;
        var n = w * h;
        var gray = new byte[t * n];
        for (var f = 0; f < t; f++)
        {
            RgbToGray(rgb.Data.AsSpan(f * rgb.FrameBytes, rgb.FrameBytes), gray.AsSpan(f * n, n));
        }

        var output = new byte[(t - 1) * n * ClipTensor.FlowChannels];
        Parallel.For(0, t - 1, pair =>
        {
            var flow = ArrayPool<float>.Shared.Rent(2 * n);
            try
            {
                var field = flow.AsSpan(0, 2 * n);
                var frame0 = gray.AsSpan(pair * n, n);
                var frame1 = gray.AsSpan((pair + 1) * n, n);
                if (algorithm == FlowAlgorithm.Farneback)
                {
                    FarnebackFlow.Compute(frame0, frame1, w, h, field);
                }
                else
                {
                    TvL1Flow.Default.Compute(frame0, frame1, w, h, field);
                }

                FlowQuantizer.Quantize(field, bound, output.AsSpan(pair * 2 * n, 2 * n));
            }
            finally
            {
                ArrayPool<float>.Shared.Return(flow);
            }
        });

        return new ClipTensor(t - 1, h, w, ClipTensor.FlowChannels, output);
    }

    /// <summary>
    /// RGB → 8-bit gray exactly as OpenCV 4's <c>cvtColor(RGB2GRAY)</c> on 8-bit input: weights 0.299, 0.587, 0.114
    /// in 15-bit fixed point (9798, 19235, 3735; they sum to 2^15), rounded half up. (The 14-bit constants of older
    /// OpenCV differ from it by one level on ~0.3 % of random pixels.)
    /// </summary>
    public static void RgbToGray(ReadOnlySpan<byte> rgb, Span<byte> gray)
    {
        if (rgb.Length != gray.Length * 3)
        {
            throw new ArgumentException($"RGB has {rgb.Length} bytes for {gray.Length} gray pixels.", nameof(rgb));
        }

        const int r = 9798, g = 19235, b = 3735, shift = 15;
        for (var i = 0; i < gray.Length; i++)
        {
            var o = 3 * i;
            gray[i] = (byte)(((rgb[o] * r) + (rgb[o + 1] * g) + (rgb[o + 2] * b) + (1 << (shift - 1))) >> shift);
        }
    }
}
