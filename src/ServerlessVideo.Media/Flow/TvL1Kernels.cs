namespace ServerlessVideo.Media.Flow;

/// <summary>
/// Image operations behind <see cref="TvL1Flow"/>, written to give what the OpenCV calls in OpenCV's TV-L1 give:
/// <c>pyrDown</c>, <c>resize(INTER_LINEAR)</c>, the centred gradient, and the bicubic kernel of
/// <c>remap(INTER_CUBIC)</c>. Images are single-channel float, row-major, width × height.
/// </summary>
internal static class TvL1Kernels
{
    /// <summary>OpenCV's remap quantises sub-pixel positions to 1/32 px (INTER_BITS = 5).</summary>
    public const int InterBits = 5;

    public const int InterTabSize = 1 << InterBits;

    /// <summary>
    /// Bicubic weights for each 1/32 px (fy, fx): 16 floats, row-major over the 4×4 taps, each the product of the 1-D
    /// Keys kernel (a = −0.75, OpenCV's choice) weights in y and x.
    /// </summary>
    public static float[] CubicWeights { get; } = BuildCubicWeights();

    private static float[] BuildCubicWeights()
    {
        Span<float> oneD = stackalloc float[InterTabSize * 4];
        for (var k = 0; k < InterTabSize; k++)
        {
            // Keys' cubic convolution kernel, a = -0.75, evaluated at distances t+1, t, 1-t, 2-t (float, as OpenCV).
            const float a = -0.75f;
            var t = k / (float)InterTabSize;
            var c0 = ((((a * (t + 1)) - (5 * a)) * (t + 1)) + (8 * a)) * (t + 1) - (4 * a);
            var c1 = ((((a + 2) * t) - (a + 3)) * t * t) + 1;
            var s = 1 - t;
            var c2 = ((((a + 2) * s) - (a + 3)) * s * s) + 1;
            oneD[(k * 4) + 0] = c0;
            oneD[(k * 4) + 1] = c1;
            oneD[(k * 4) + 2] = c2;
            oneD[(k * 4) + 3] = 1f - c0 - c1 - c2;
        }

        var table = new float[InterTabSize * InterTabSize * 16];
        for (var fy = 0; fy < InterTabSize; fy++)
        {
            for (var fx = 0; fx < InterTabSize; fx++)
            {
                var o = ((fy * InterTabSize) + fx) * 16;
                for (var i = 0; i < 4; i++)
                {
                    for (var j = 0; j < 4; j++)
                    {
                        table[o + (i * 4) + j] = oneD[(fy * 4) + i] * oneD[(fx * 4) + j];
                    }
                }
            }
        }

        return table;
    }

    /// <summary>OpenCV's BORDER_REFLECT_101 index (…, 2, 1 | 0, 1, 2, …, n−2, n−1 | n−2, …).</summary>
    private static int Reflect101(int i, int n)
    {
        if (n == 1)
        {
            return 0;
        }

        while ((uint)i >= (uint)n)
        {
            i = i < 0 ? -i : (2 * n) - 2 - i;
        }

        return i;
    }

    /// <summary>Size of the next pyramid level below (w, h).</summary>
    public static (int Width, int Height) NextLevelSize(int width, int height, TvL1Parameters p) =>
        p.GaussianPyramid
            ? ((width + 1) / 2, (height + 1) / 2)

            // resize(…, Size(), s, s) sizes the result as saturate_cast<int>(w·s): round half to even.
            : ((int)Math.Round(width * p.ScaleStep), (int)Math.Round(height * p.ScaleStep));

    /// <summary>
    /// Gaussian pyramid step as <c>cv::pyrDown</c>: separable binomial [1 4 6 4 1]/16 with BORDER_REFLECT_101, then
    /// every second pixel. <paramref name="rows"/> is scratch of src height × dst width.
    /// </summary>
    public static void PyrDown(ReadOnlySpan<float> src, int sw, int sh, Span<float> dst, int dw, int dh, Span<float> rows)
    {
        for (var y = 0; y < sh; y++)
        {
            var s = src.Slice(y * sw, sw);
            var r = rows.Slice(y * dw, dw);
            for (var x = 0; x < dw; x++)
            {
                var c = 2 * x;
                var m2 = s[Reflect101(c - 2, sw)];
                var m1 = s[Reflect101(c - 1, sw)];
                var p1 = s[Reflect101(c + 1, sw)];
                var p2 = s[Reflect101(c + 2, sw)];
                r[x] = (s[Reflect101(c, sw)] * 6) + ((m1 + p1) * 4) + m2 + p2;
            }
        }

        const float norm = 1f / 256f;
        for (var y = 0; y < dh; y++)
        {
            var c = 2 * y;
            var r0 = rows.Slice(Reflect101(c - 2, sh) * dw, dw);
            var r1 = rows.Slice(Reflect101(c - 1, sh) * dw, dw);
            var r2 = rows.Slice(Reflect101(c, sh) * dw, dw);
            var r3 = rows.Slice(Reflect101(c + 1, sh) * dw, dw);
            var r4 = rows.Slice(Reflect101(c + 2, sh) * dw, dw);
            var d = dst.Slice(y * dw, dw);
            for (var x = 0; x < dw; x++)
            {
                d[x] = ((r2[x] * 6) + ((r1[x] + r3[x]) * 4) + r0[x] + r4[x]) * norm;
            }
        }
    }

    /// <summary>
    /// Bilinear resize as <c>cv::resize(INTER_LINEAR)</c> on float images: pixel centres aligned
    /// (src = (dst + 0.5)·scale − 0.5), coordinates clamped to the border, horizontal pass then vertical.
    /// <paramref name="scaleX"/>/<paramref name="scaleY"/> are source pixels per destination pixel.
    /// </summary>
    public static void ResizeBilinear(ReadOnlySpan<float> src, int sw, int sh, Span<float> dst, int dw, int dh, double scaleX, double scaleY)
    {
        var xofs = new int[dw];
        var xalpha = new float[dw];
        for (var dx = 0; dx < dw; dx++)
        {
            (xofs[dx], xalpha[dx]) = LinearTap(dx, scaleX, sw);
        }

        for (var dy = 0; dy < dh; dy++)
        {
            var (sy, fy) = LinearTap(dy, scaleY, sh);
            var s0 = src.Slice(sy * sw, sw);
            var s1 = src.Slice(Math.Min(sy + 1, sh - 1) * sw, sw);
            var b0 = 1f - fy;
            var d = dst.Slice(dy * dw, dw);
            for (var dx = 0; dx < dw; dx++)
            {
                var sx = xofs[dx];
                var sx1 = Math.Min(sx + 1, sw - 1);
                var a1 = xalpha[dx];
                var a0 = 1f - a1;
                var h0 = (s0[sx] * a0) + (s0[sx1] * a1);
                var h1 = (s1[sx] * a0) + (s1[sx1] * a1);
                d[dx] = (h0 * b0) + (h1 * fy);
            }
        }
    }

    private static (int Index, float Fraction) LinearTap(int d, double scale, int srcSize)
    {
        var f = (float)(((d + 0.5) * scale) - 0.5);
        var s = (int)MathF.Floor(f);
        f -= s;
        if (s < 0)
        {
            return (0, 0f);
        }

        return s >= srcSize - 1 ? (srcSize - 1, 0f) : (s, f);
    }

    /// <summary>
    /// Centred differences (half the one-sided difference on the border), as OpenCV's TV-L1 computes ∇I1.
    /// Needs width, height ≥ 2.
    /// </summary>
    public static void CenteredGradient(ReadOnlySpan<float> src, int w, int h, Span<float> dx, Span<float> dy)
    {
        for (var y = 0; y < h; y++)
        {
            var row = src.Slice(y * w, w);
            var up = src.Slice(Math.Max(y - 1, 0) * w, w);
            var down = src.Slice(Math.Min(y + 1, h - 1) * w, w);
            var dxr = dx.Slice(y * w, w);
            var dyr = dy.Slice(y * w, w);
            for (var x = 0; x < w; x++)
            {
                dxr[x] = 0.5f * (row[Math.Min(x + 1, w - 1)] - row[Math.Max(x - 1, 0)]);
                dyr[x] = 0.5f * (down[x] - up[x]);
            }
        }
    }
}
