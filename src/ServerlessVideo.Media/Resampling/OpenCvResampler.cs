using OpenCvSharp;
using ServerlessVideo.Media.Flow;

namespace ServerlessVideo.Media.Resampling;

/// <summary>
/// <c>cv2.resize</c>, which mmaction2's <c>Resize</c> calls through mmcv: OpenCV itself does the work (OpenCvSharp's
/// bundled OpenCV), so results are OpenCV's own.
/// </summary>
public static class OpenCvResampler
{
    public static RgbImage Resize(RgbImage image, int height, int width, Interpolation interpolation)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        var flag = interpolation switch
        {
            Interpolation.Nearest => InterpolationFlags.Nearest,
            Interpolation.Bilinear => InterpolationFlags.Linear,
            Interpolation.Bicubic => InterpolationFlags.Cubic,
            Interpolation.Area => InterpolationFlags.Area,
            _ => throw new NotSupportedException($"OpenCV resize '{interpolation}' is not supported."),
        };

        OpenCvNative.EnsureLoaded();
        using var source = new Mat(image.Height, image.Width, MatType.CV_8UC3);
        image.Pixels.CopyTo(source.AsSpan<byte>());
        using var resized = new Mat();
        Cv2.Resize(source, resized, new Size(width, height), 0, 0, flag);
        var pixels = new byte[width * height * 3];
        resized.AsSpan<byte>().CopyTo(pixels);
        return new RgbImage(width, height, pixels);
    }
}
