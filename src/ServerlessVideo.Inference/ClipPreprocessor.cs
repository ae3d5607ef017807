using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Core.Tensors;

namespace ServerlessVideo.Inference;

/// <summary>
/// Turns uint8 THWC clips (RGB, or quantised flow) into the float tensor a model declares, applying <c>(p / scale - mean) / std</c> per channel
/// through a 256-entry table per channel (one load per pixel instead of a divide, a subtract and a multiply).
/// </summary>
public sealed class ClipPreprocessor
{
    private readonly float[][] _lut;
    private readonly int[] _sourceChannel;

    public ClipPreprocessor(PreprocessingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var channels = spec.Mean.Count;
        var bgr = channels == ClipTensor.RgbChannels && string.Equals(spec.ChannelOrder, "BGR", StringComparison.OrdinalIgnoreCase);
        // Output channel c reads input channel _sourceChannel[c]; mean/std are listed in output order.
        _sourceChannel = bgr ? [2, 1, 0] : Enumerable.Range(0, channels).ToArray();
        _lut = new float[channels][];
        for (var c = 0; c < channels; c++)
        {
            var table = new float[256];
            for (var p = 0; p < 256; p++)
            {
                table[p] = (float)(((p / spec.PixelScale) - spec.Mean[c]) / spec.Std[c]);
            }

            _lut[c] = table;
        }
    }

    /// <summary>
    /// Writes one clip into <paramref name="destination"/> (exactly C·T·H·W floats) in <paramref name="layout"/>:
    /// <c>NCTHW</c> is channel-major over time; <c>NTCHW</c> and per-frame <c>NCHW</c> are time-major.
    /// </summary>
    public void Write(ClipTensor clip, string layout, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var channels = _lut.Length;
        if (clip.Channels != channels)
        {
            throw new ArgumentException($"The clip has {clip.Channels} channels; the preprocessing is for {channels}.", nameof(clip));
        }

        var plane = clip.Height * clip.Width;
        var needed = channels * clip.Frames * plane;
        if (destination.Length != needed)
        {
            throw new ArgumentException($"Destination holds {destination.Length} floats; the clip needs {needed}.", nameof(destination));
        }

        var channelMajor = layout == "NCTHW";
        var src = clip.Data.AsSpan();
        for (var t = 0; t < clip.Frames; t++)
        {
            var frame = src.Slice(t * clip.FrameBytes, clip.FrameBytes);
            for (var c = 0; c < channels; c++)
            {
                var offset = channelMajor ? ((c * clip.Frames) + t) * plane : ((t * channels) + c) * plane;
                var dst = destination.Slice(offset, plane);
                var lut = _lut[c];
                var sc = _sourceChannel[c];
                for (var i = 0; i < plane; i++)
                {
                    dst[i] = lut[frame[(i * channels) + sc]];
                }
            }
        }
    }
}
