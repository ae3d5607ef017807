using OpenCvSharp;
using ServerlessVideo.Core.Tensors;
using ServerlessVideo.Media.Flow;

namespace ServerlessVideo.Media.Pictures;

/// <summary>
/// Frames of a video side by side in one JPEG, for people to see what the models saw: each frame an equal tile, scaled
/// to at most <see cref="MaxTileHeight"/> pixels high with its aspect kept (area interpolation when shrinking, bilinear
/// when growing), in the order given.
/// </summary>
public static class KeyFrameStrip
{
    /// <summary>Tallest tile, pixels: frames taller than this are scaled down.</summary>
    public const int MaxTileHeight = 144;

    /// <summary>JPEG quality (0–100).</summary>
    private const int Quality = 85;

    /// <summary>
    /// The strip of frame <c>Frame</c> of each RGB clip, and the tile size. Every clip must have the size of the first.
    /// </summary>
    /// <exception cref="OpenCvUnavailableException">OpenCV's native library cannot be loaded (install libgtk-3-0).</exception>
    public static (byte[] Jpeg, int TileWidth, int TileHeight) ToJpeg(IReadOnlyList<(ClipTensor Clip, int Frame)> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentOutOfRangeException.ThrowIfZero(frames.Count);
        var (first, _) = frames[0];
        int width = first.Width, height = first.Height;
        foreach (var (clip, frame) in frames)
        {
            if (clip.Channels != ClipTensor.RgbChannels || clip.Width != width || clip.Height != height)
            {
                throw new ArgumentException($"Every frame must be RGB {width}×{height}; got {clip.Width}×{clip.Height}×{clip.Channels}.", nameof(frames));
            }

            ArgumentOutOfRangeException.ThrowIfNegative(frame);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(frame, clip.Frames);
        }

        var tileHeight = Math.Min(height, MaxTileHeight);
        var tileWidth = Math.Max(1, (int)Math.Round(width * (double)tileHeight / height));
        OpenCvNative.EnsureLoaded();
        using var strip = new Mat(tileHeight, tileWidth * frames.Count, MatType.CV_8UC3);
        using var rgb = new Mat(height, width, MatType.CV_8UC3);
        using var tile = new Mat();
        var interpolation = tileHeight < height ? InterpolationFlags.Area : InterpolationFlags.Linear;
        for (var i = 0; i < frames.Count; i++)
        {
            var (clip, frame) = frames[i];
            clip.Data.AsSpan(frame * clip.FrameBytes, clip.FrameBytes).CopyTo(rgb.AsSpan<byte>());
            Cv2.Resize(rgb, tile, new Size(tileWidth, tileHeight), 0, 0, interpolation);
            using var target = new Mat(strip, new Rect(i * tileWidth, 0, tileWidth, tileHeight));
            Cv2.CvtColor(tile, target, ColorConversionCodes.RGB2BGR);
        }

        Cv2.ImEncode(".jpg", strip, out var jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, Quality));
        return (jpeg, tileWidth, tileHeight);
    }
}
