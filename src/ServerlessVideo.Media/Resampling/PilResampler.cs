namespace ServerlessVideo.Media.Resampling;

/// <summary>
/// Pillow's <c>Image.resize</c> of an RGB image (Pillow 9.x, <c>libImaging/Resample.c</c>), which Hugging Face's
/// image and video processors call: filter weights in double precision normalised per output pixel, turned into 22-bit
/// fixed point, a horizontal pass then a vertical one, each rounded and clamped to 8 bits; a pass whose size does not
/// change is skipped. Nearest is Pillow's affine nearest-neighbour scaling. Integer arithmetic makes it exact.
/// </summary>
public static class PilResampler
{
    private const int PrecisionBits = 32 - 8 - 2;

    public static RgbImage Resize(RgbImage image, int height, int width, Interpolation interpolation)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (interpolation == Interpolation.Nearest)
        {
            return Nearest(image, height, width);
        }

        var (support, filter) = interpolation switch
        {
            Interpolation.Bilinear => (1.0, (Func<double, double>)Triangle),
            Interpolation.Bicubic => (2.0, Cubic),
            _ => throw new NotSupportedException($"Pillow resize '{interpolation}' is not implemented (nearest, bilinear, bicubic)."),
        };

        var current = image;
        if (width != image.Width)
        {
            current = Horizontal(current, width, Coefficients(image.Width, width, support, filter));
        }

        if (height != image.Height)
        {
            current = Vertical(current, height, Coefficients(image.Height, height, support, filter));
        }

        return current;
    }

    /// <summary>Per output index: first source index, tap count, and 22-bit fixed-point weights.</summary>
    private readonly record struct Kernel(int Min, int Count, int[] Weights);

    private static Kernel[] Coefficients(int inSize, int outSize, double filterSupport, Func<double, double> filter)
    {
        var scale = (double)inSize / outSize;
        var filterScale = Math.Max(scale, 1.0);
        var support = filterSupport * filterScale;
        var ss = 1.0 / filterScale;
        var kernels = new Kernel[outSize];
        for (var xx = 0; xx < outSize; xx++)
        {
            var center = (xx + 0.5) * scale;
            var xmin = Math.Max((int)(center - support + 0.5), 0);
            var xmax = Math.Min((int)(center + support + 0.5), inSize) - xmin;
            var k = new double[xmax];
            var ww = 0.0;
            for (var x = 0; x < xmax; x++)
            {
                var w = filter((x + xmin - center + 0.5) * ss);
                k[x] = w;
                ww += w;
            }

            var fixedPoint = new int[xmax];
            for (var x = 0; x < xmax; x++)
            {
                var normalised = ww != 0.0 ? k[x] / ww : k[x];
                fixedPoint[x] = (int)(normalised < 0
                    ? Math.Truncate(-0.5 + (normalised * (1 << PrecisionBits)))
                    : Math.Truncate(0.5 + (normalised * (1 << PrecisionBits))));
            }

            kernels[xx] = new Kernel(xmin, xmax, fixedPoint);
        }

        return kernels;
    }

    private static RgbImage Horizontal(RgbImage image, int width, Kernel[] kernels)
    {
        var src = image.Pixels;
        var dst = new byte[width * image.Height * 3];
        for (var y = 0; y < image.Height; y++)
        {
            var row = y * image.Width * 3;
            for (var x = 0; x < width; x++)
            {
                var kernel = kernels[x];
                for (var c = 0; c < 3; c++)
                {
                    var ss = 1 << (PrecisionBits - 1);
                    for (var k = 0; k < kernel.Count; k++)
                    {
                        ss += src[row + ((kernel.Min + k) * 3) + c] * kernel.Weights[k];
                    }

                    dst[(((y * width) + x) * 3) + c] = Clip8(ss);
                }
            }
        }

        return new RgbImage(width, image.Height, dst);
    }

    private static RgbImage Vertical(RgbImage image, int height, Kernel[] kernels)
    {
        var src = image.Pixels;
        var stride = image.Width * 3;
        var dst = new byte[height * stride];
        for (var y = 0; y < height; y++)
        {
            var kernel = kernels[y];
            for (var i = 0; i < stride; i++)
            {
                var ss = 1 << (PrecisionBits - 1);
                for (var k = 0; k < kernel.Count; k++)
                {
                    ss += src[((kernel.Min + k) * stride) + i] * kernel.Weights[k];
                }

                dst[(y * stride) + i] = Clip8(ss);
            }
        }

        return new RgbImage(image.Width, height, dst);
    }

    /// <summary>The fixed-point sum back to 8 bits: an arithmetic shift, clamped.</summary>
    private static byte Clip8(int value) => (byte)Math.Clamp(value >> PrecisionBits, 0, 255);

    private static double Triangle(double x)
    {
        x = Math.Abs(x);
        return x < 1.0 ? 1.0 - x : 0.0;
    }

    private static double Cubic(double x)
    {
        const double a = -0.5;
        x = Math.Abs(x);
        return x < 1.0 ? ((((a + 2.0) * x) - (a + 3.0)) * x * x) + 1
            : x < 2.0 ? ((((x - 5) * x) + 8) * x - 4) * a
            : 0.0;
    }

    /// <summary>
    /// Pillow's <c>ImagingScaleAffine</c>: source column from a running double sum (½·scale, then + scale per column),
    /// source row from (y + ½)·scale, both truncated.
    /// </summary>
    private static RgbImage Nearest(RgbImage image, int height, int width)
    {
        var xScale = (double)image.Width / width;
        var yScale = (double)image.Height / height;
        var columns = new int[width];
        var xo = xScale * 0.5;
        for (var x = 0; x < width; x++)
        {
            columns[x] = Math.Min((int)xo, image.Width - 1);
            xo += xScale;
        }

        var dst = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            var sy = Math.Min((int)((y + 0.5) * yScale), image.Height - 1);
            for (var x = 0; x < width; x++)
            {
                image.Pixels.AsSpan(((sy * image.Width) + columns[x]) * 3, 3).CopyTo(dst.AsSpan(((y * width) + x) * 3));
            }
        }

        return new RgbImage(width, height, dst);
    }
}
