using ServerlessVideo.Core.Manifests;

namespace ServerlessVideo.Media.Resampling;

/// <summary>A frame decoded at its own size, resized and centre-cropped as a reference library's preprocessing does.</summary>
public static class ReferenceGeometry
{
    /// <summary>
    /// <paramref name="frame"/> resized by <paramref name="resize"/>'s library and rule, then centre-cropped to a
    /// <paramref name="crop"/> square with its rounding (zero-padded where the crop is larger, as torchvision pads).
    /// </summary>
    public static RgbImage Apply(RgbImage frame, ResizeSpec resize, int crop)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(resize);
        var (width, height) = resize.OutputSize(frame.Width, frame.Height);
        var resized = width == frame.Width && height == frame.Height
            ? frame
            : Resampler.Resize(frame, height, width, Library(resize.Library), Filter(resize.Interpolation), resize.Antialias);
        var (left, top) = resize.CropOrigin(width, height, crop);
        if (left >= 0 && top >= 0)
        {
            return resized.Crop(left, top, crop, crop);
        }

        var output = new byte[crop * crop * 3];
        for (var y = 0; y < crop; y++)
        {
            var sy = top + y;
            if (sy < 0 || sy >= height)
            {
                continue;
            }

            var from = Math.Max(0, left);
            var to = Math.Min(width, left + crop);
            if (to > from)
            {
                resized.Pixels.AsSpan(((sy * width) + from) * 3, (to - from) * 3).CopyTo(output.AsSpan(((y * crop) + (from - left)) * 3));
            }
        }

        return new RgbImage(crop, crop, output);
    }

    private static ResampleLibrary Library(string name) => name switch
    {
        ResizeSpec.Torchvision => ResampleLibrary.Torchvision,
        ResizeSpec.Pil => ResampleLibrary.Pil,
        ResizeSpec.OpenCv => ResampleLibrary.OpenCv,
        _ => throw new NotSupportedException($"Unknown resize library '{name}'."),
    };

    private static Interpolation Filter(string name) => name switch
    {
        "nearest" => Interpolation.Nearest,
        "bilinear" => Interpolation.Bilinear,
        "bicubic" => Interpolation.Bicubic,
        "area" => Interpolation.Area,
        _ => throw new NotSupportedException($"Unknown interpolation '{name}'."),
    };
}
