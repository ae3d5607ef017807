using ServerlessVideo.Core.Manifests;

namespace ServerlessVideo.Media.Resampling;

/// <summary>A frame decoded at its own size, resized and cropped as a reference library's preprocessing does.</summary>
public static class ReferenceGeometry
{
    /// <summary><paramref name="frame"/> resized by <paramref name="resize"/>'s library and rule (not cropped).</summary>
    public static RgbImage Resize(RgbImage frame, ResizeSpec resize)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(resize);
        var (width, height) = resize.OutputSize(frame.Width, frame.Height);
        return width == frame.Width && height == frame.Height
            ? frame
            : Resampler.Resize(frame, height, width, Library(resize.Library), Filter(resize.Interpolation), resize.Antialias);
    }

    /// <summary>
    /// The <paramref name="crop"/> square at (<paramref name="left"/>, <paramref name="top"/>) of <paramref name="resized"/>,
    /// mirrored left to right when asked; zero-padded where it reaches outside (as torchvision pads).
    /// </summary>
    public static RgbImage Cut(RgbImage resized, int left, int top, int crop, bool mirror)
    {
        ArgumentNullException.ThrowIfNull(resized);
        var (width, height) = (resized.Width, resized.Height);
        var window = left >= 0 && top >= 0 && left + crop <= width && top + crop <= height
            ? resized.Crop(left, top, crop, crop)
            : Padded(resized, left, top, crop);
        return mirror ? Mirror(window) : window;
    }

    private static RgbImage Mirror(RgbImage image)
    {
        var output = new byte[image.Pixels.Length];
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                image.Pixels.AsSpan(((y * image.Width) + x) * 3, 3).CopyTo(output.AsSpan(((y * image.Width) + (image.Width - 1 - x)) * 3));
            }
        }

        return new RgbImage(image.Width, image.Height, output);
    }

    private static RgbImage Padded(RgbImage resized, int left, int top, int crop)
    {
        var (width, height) = (resized.Width, resized.Height);
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
