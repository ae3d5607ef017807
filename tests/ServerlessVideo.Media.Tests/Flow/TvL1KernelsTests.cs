using OpenCvSharp;
using ServerlessVideo.Media.Flow;

namespace ServerlessVideo.Media.Tests.Flow;

/// <summary>The TV-L1 resampling kernels against the OpenCV functions they stand in for.</summary>
public sealed class TvL1KernelsTests
{
    private static float[] RandomImage(int w, int h, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, w * h).Select(_ => (float)(random.NextDouble() * 255))];
    }

    private static float[] ToArray(Mat mat) => mat.AsSpan<float>().ToArray();

    private static Mat ToMat(float[] data, int w, int h)
    {
        var mat = new Mat(h, w, MatType.CV_32FC1);
        data.CopyTo(mat.AsSpan<float>());
        return mat;
    }

    private static void AssertClose(float[] expected, float[] actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= tolerance, $"largest difference {worst} > {tolerance}");
    }

    [Theory]
    [InlineData(37, 23)]
    [InlineData(64, 64)]
    public void PyrDown_matches_cv_pyrDown(int w, int h)
    {
        var src = RandomImage(w, h, w);
        using var mat = ToMat(src, w, h);
        using var expected = new Mat();
        Cv2.PyrDown(mat, expected);
        var (dw, dh) = ((w + 1) / 2, (h + 1) / 2);
        Assert.Equal((dw, dh), (expected.Width, expected.Height));
        var dst = new float[dw * dh];
        TvL1Kernels.PyrDown(src, w, h, dst, dw, dh, new float[h * dw]);
        AssertClose(ToArray(expected), dst, 1e-3f);
    }

    [Theory]
    [InlineData(224, 224)]
    [InlineData(73, 41)]
    public void Downscaling_by_the_scale_step_matches_cv_resize_linear(int w, int h)
    {
        const double step = 0.8;
        var src = RandomImage(w, h, h);
        using var mat = ToMat(src, w, h);
        using var expected = new Mat();
        Cv2.Resize(mat, expected, new Size(), step, step, InterpolationFlags.Linear);
        var parameters = TvL1Parameters.OpenCv;
        var (dw, dh) = TvL1Kernels.NextLevelSize(w, h, parameters);
        Assert.Equal((expected.Width, expected.Height), (dw, dh));
        var dst = new float[dw * dh];
        TvL1Kernels.ResizeBilinear(src, w, h, dst, dw, dh, 1 / step, 1 / step);
        AssertClose(ToArray(expected), dst, 1e-3f);
    }

    [Fact]
    public void Upsampling_to_a_given_size_matches_cv_resize_linear()
    {
        const int sw = 37, sh = 25, dw = 73, dh = 49;
        var src = RandomImage(sw, sh, 1);
        using var mat = ToMat(src, sw, sh);
        using var expected = new Mat();
        Cv2.Resize(mat, expected, new Size(dw, dh), 0, 0, InterpolationFlags.Linear);
        var dst = new float[dw * dh];
        TvL1Kernels.ResizeBilinear(src, sw, sh, dst, dw, dh, 1.0 / ((double)dw / sw), 1.0 / ((double)dh / sh));
        AssertClose(ToArray(expected), dst, 1e-3f);
    }
}
