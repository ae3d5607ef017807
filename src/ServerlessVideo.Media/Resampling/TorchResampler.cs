namespace ServerlessVideo.Media.Resampling;

/// <summary>
/// torchvision's <c>F.resize</c> of a uint8 image tensor (torchvision 0.14, torch 1.13, align_corners=False): the image
/// is cast to float32, interpolated as <c>torch.nn.functional.interpolate</c> does on the CPU, rounded half to even and
/// cast back (bicubic is clamped to 0..255 first). Float operations follow torch's kernels in order, so results match
/// its outputs to the last bit except where the compiler's fused multiply-adds round differently (±1 level, rarely).
/// </summary>
public static class TorchResampler
{
    public static RgbImage Resize(RgbImage image, int height, int width, Interpolation interpolation, bool antialias)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        float[][] output;
        switch (interpolation)
        {
            case Interpolation.Nearest:
                output = Separable(image, height, width, NearestTaps);
                break;
            case Interpolation.Bilinear when antialias:
            case Interpolation.Bicubic when antialias:
                output = Antialiased(ToPlanes(image), image.Height, image.Width, height, width, interpolation);
                break;
            case Interpolation.Bilinear:
                output = Separable(image, height, width, LinearTaps);
                break;
            case Interpolation.Bicubic:
                output = Separable(image, height, width, CubicTaps);
                break;
            default:
                throw new NotSupportedException($"torchvision has no '{interpolation}' resize (nearest, bilinear, bicubic).");
        }

        return FromPlanes(output, height, width, clamp: interpolation == Interpolation.Bicubic);
    }

    /// <summary>Source taps and weights of one output index along one axis.</summary>
    private readonly record struct Taps(int[] Index, float[] Weight);

    /// <summary>torch's <c>nearest</c> (legacy, not <c>nearest-exact</c>): floor(dst × in / out), scale in float32.</summary>
    private static Taps[] NearestTaps(int input, int output)
    {
        var taps = new Taps[output];
        var scale = (float)input / output;
        for (var o = 0; o < output; o++)
        {
            var i = output == input ? o : output == 2 * input ? o >> 1 : Math.Min((int)MathF.Floor(o * scale), input - 1);
            taps[o] = new Taps([i], [1f]);
        }

        return taps;
    }

    /// <summary>
    /// <c>area_pixel_compute_source_index</c>: scale · (dst + 0.5) − 0.5 where C++ promotes <c>dst + 0.5</c> to double, so
    /// the product and difference are double, rounded to float on return.
    /// </summary>
    private static float SourceIndex(float scale, int dst) => (float)((scale * (dst + 0.5)) - 0.5);

    /// <summary>
    /// <c>upsample_bilinear2d</c>: src = scale·(dst + ½) − ½ (scale in float, the rest in double as C++ promotes it)
    /// clamped at 0; λ₁ = float(src − ⌊src⌋), λ₀ = 1 − λ₁; the second tap clamped to the edge. An unchanged size copies.
    /// </summary>
    private static Taps[] LinearTaps(int input, int output)
    {
        var taps = new Taps[output];
        var scale = (float)input / output;
        for (var o = 0; o < output; o++)
        {
            if (input == output)
            {
                taps[o] = new Taps([o, o], [1f, 0f]);
                continue;
            }

            var real = Math.Max((scale * (o + 0.5)) - 0.5, 0);
            var i0 = Math.Min((int)Math.Floor(real), input - 1);
            var lambda1 = (float)Math.Clamp(real - i0, 0, 1);
            var lambda0 = 1f - lambda1;
            var i1 = i0 + (i0 < input - 1 ? 1 : 0);
            taps[o] = new Taps([i0, i1], [lambda0, lambda1]);
        }

        return taps;
    }

    /// <summary><c>upsample_bicubic2d</c>: Keys' cubic convolution with A = −0.75, four taps clamped to the edges.</summary>
    private static Taps[] CubicTaps(int input, int output)
    {
        const float a = -0.75f;
        var taps = new Taps[output];
        var scale = (float)input / output;
        for (var o = 0; o < output; o++)
        {
            var real = SourceIndex(scale, o);
            var i0 = Math.Min((int)MathF.Floor(real), input - 1);
            var t = Math.Clamp(real - i0, 0f, 1f);
            var x2 = 1f - t;
            float[] w = [Cubic2(t + 1f, a), Cubic1(t, a), Cubic1(x2, a), Cubic2(x2 + 1f, a)];
            int[] index = [.. Enumerable.Range(0, 4).Select(j => Math.Clamp(i0 - 1 + j, 0, input - 1))];
            taps[o] = new Taps(index, w);
        }

        return taps;

        static float Cubic1(float x, float a) => ((((a + 2) * x) - (a + 3)) * x * x) + 1;
        static float Cubic2(float x, float a) => ((((a * x) - (5 * a)) * x) + (8 * a)) * x - (4 * a);
    }

    /// <summary>
    /// Non-antialiased kernels compute each output from the taps of both axes at once, the width's taps inside:
    /// out = Σ_h w_h · (Σ_w w_w · in[h, w]) in float32, reading only the source pixels the taps touch. Two-tap sums are
    /// <c>x₀·w₀ + x₁·w₁</c> in C++, which the compiler fuses to fma(x₀, w₀, x₁·w₁); longer ones accumulate from the
    /// first tap on.
    /// </summary>
    private static float[][] Separable(RgbImage image, int outH, int outW, Func<int, int, Taps[]> taps)
    {
        var rows = taps(image.Height, outH);
        var cols = taps(image.Width, outW);
        var src = image.Pixels;
        var stride = image.Width * 3;
        float[][] output = [new float[outH * outW], new float[outH * outW], new float[outH * outW]];
        var line = new float[rows.Max(r => r.Index.Length)];
        for (var y = 0; y < outH; y++)
        {
            var row = rows[y];
            for (var x = 0; x < outW; x++)
            {
                var col = cols[x];
                for (var c = 0; c < 3; c++)
                {
                    for (var j = 0; j < row.Index.Length; j++)
                    {
                        line[j] = Sum(col, src, (row.Index[j] * stride) + c);
                    }

                    output[c][(y * outW) + x] = Sum(row, line);
                }
            }
        }

        return output;
    }

    /// <summary>Σ w_k · pixel at column Index[k] of the row starting at <paramref name="offset"/> (channel included).</summary>
    private static float Sum(Taps taps, byte[] src, int offset)
    {
        var index = taps.Index;
        var weight = taps.Weight;
        if (index.Length == 2)
        {
            return MathF.FusedMultiplyAdd(src[offset + (index[0] * 3)], weight[0], src[offset + (index[1] * 3)] * weight[1]);
        }

        var sum = src[offset + (index[0] * 3)] * weight[0];
        for (var k = 1; k < index.Length; k++)
        {
            sum += src[offset + (index[k] * 3)] * weight[k];
        }

        return sum;
    }

    /// <summary>Σ w_j · line[j], with the same fusing rule.</summary>
    private static float Sum(Taps taps, float[] line)
    {
        var weight = taps.Weight;
        if (weight.Length == 2)
        {
            return MathF.FusedMultiplyAdd(line[0], weight[0], line[1] * weight[1]);
        }

        var sum = line[0] * weight[0];
        for (var j = 1; j < weight.Length; j++)
        {
            sum += line[j] * weight[j];
        }

        return sum;
    }

    /// <summary>
    /// <c>_upsample_bilinear2d_aa</c> / <c>_upsample_bicubic2d_aa</c>: PIL's separable filter (support widened by the
    /// downscale factor, weights normalised), in float32; the width pass first, then the height, each only when its
    /// size changes.
    /// </summary>
    private static float[][] Antialiased(float[][] planes, int inH, int inW, int outH, int outW, Interpolation interpolation)
    {
        var cubic = interpolation == Interpolation.Bicubic;
        var output = planes;
        var width = inW;
        if (outW != inW)
        {
            var cols = AntialiasTaps(inW, outW, cubic);
            output = [.. output.Select(p => Pass(p, inH, inW, outW, cols, horizontal: true))];
            width = outW;
        }

        if (outH != inH)
        {
            var rows = AntialiasTaps(inH, outH, cubic);
            output = [.. output.Select(p => Pass(p, inH, width, outH, rows, horizontal: false))];
        }

        return output;
    }

    private static float[] Pass(float[] src, int h, int w, int outSize, Taps[] taps, bool horizontal)
    {
        var dst = horizontal ? new float[h * outSize] : new float[outSize * w];
        if (horizontal)
        {
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < outSize; x++)
                {
                    var tap = taps[x];
                    var sum = src[(y * w) + tap.Index[0]] * tap.Weight[0];
                    for (var k = 1; k < tap.Index.Length; k++)
                    {
                        sum = MathF.FusedMultiplyAdd(src[(y * w) + tap.Index[k]], tap.Weight[k], sum);
                    }

                    dst[(y * outSize) + x] = sum;
                }
            }
        }
        else
        {
            for (var y = 0; y < outSize; y++)
            {
                var tap = taps[y];
                for (var x = 0; x < w; x++)
                {
                    var sum = src[(tap.Index[0] * w) + x] * tap.Weight[0];
                    for (var k = 1; k < tap.Index.Length; k++)
                    {
                        sum = MathF.FusedMultiplyAdd(src[(tap.Index[k] * w) + x], tap.Weight[k], sum);
                    }

                    dst[(y * w) + x] = sum;
                }
            }
        }

        return dst;
    }

    private static Taps[] AntialiasTaps(int input, int output, bool cubic)
    {
        var interpSize = cubic ? 4 : 2;
        var scale = (float)input / output;
        var support = scale >= 1f ? interpSize * 0.5f * scale : interpSize * 0.5f;
        var invScale = scale >= 1f ? 1f / scale : 1f;
        var taps = new Taps[output];
        for (var o = 0; o < output; o++)
        {
            // As C++ promotes them: center = float(scale · (i + 0.5 [double])); bounds (center ± support + 0.5) in double.
            var center = (float)(scale * (o + 0.5));
            var xmin = Math.Max((int)(center - support + 0.5), 0);
            var xsize = Math.Min((int)(center + support + 0.5), input) - xmin;
            var weights = new float[xsize];
            var total = 0f;
            for (var j = 0; j < xsize; j++)
            {
                var w = Filter((float)((j + xmin - center + 0.5) * invScale), cubic);
                weights[j] = w;
                total += w;
            }

            for (var j = 0; j < xsize && total != 0; j++)
            {
                weights[j] /= total;
            }

            taps[o] = new Taps([.. Enumerable.Range(xmin, xsize)], weights);
        }

        return taps;
    }

    private static float Filter(float x, bool cubic)
    {
        x = MathF.Abs(x);
        if (!cubic)
        {
            return x < 1f ? 1f - x : 0f;
        }

        const float a = -0.5f;
        return x < 1f ? ((((a + 2) * x) - (a + 3)) * x * x) + 1
            : x < 2f ? ((((x - 5) * x) + 8) * x - 4) * a
            : 0f;
    }

    private static float[][] ToPlanes(RgbImage image)
    {
        var n = image.Width * image.Height;
        var planes = new float[3][];
        for (var c = 0; c < 3; c++)
        {
            var plane = planes[c] = new float[n];
            for (var i = 0; i < n; i++)
            {
                plane[i] = image.Pixels[(i * 3) + c];
            }
        }

        return planes;
    }

    /// <summary>torchvision's cast back: <c>round()</c> (half to even), then clamp for bicubic, then uint8.</summary>
    private static RgbImage FromPlanes(float[][] planes, int height, int width, bool clamp)
    {
        var n = width * height;
        var pixels = new byte[n * 3];
        for (var c = 0; c < 3; c++)
        {
            var plane = planes[c];
            for (var i = 0; i < n; i++)
            {
                var v = MathF.Round(plane[i], MidpointRounding.ToEven);
                pixels[(i * 3) + c] = (byte)(clamp ? Math.Clamp(v, 0f, 255f) : v);
            }
        }

        return new RgbImage(width, height, pixels);
    }
}
