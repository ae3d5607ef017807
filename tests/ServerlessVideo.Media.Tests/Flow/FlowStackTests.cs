using OpenCvSharp;
using ServerlessVideo.Core.Tensors;
using ServerlessVideo.Media.Flow;
using Xunit.Abstractions;

namespace ServerlessVideo.Media.Tests.Flow;

public sealed class FlowStackTests(ITestOutputHelper output)
{
    /// <summary>
    /// RGB clip of a 16×16 checkered square moving <paramref name="step"/> px right per frame over a dark, faintly
    /// textured background (so neither algorithm sees a flat image).
    /// </summary>
    private static ClipTensor MovingSquare(int frames, int size, int step, int start = 12, int top = 24)
    {
        var data = new byte[frames * size * size * 3];
        for (var t = 0; t < frames; t++)
        {
            var left = start + (t * step);
            for (var y = 0; y < size; y++)
            {
                for (var x = 0; x < size; x++)
                {
                    var inside = x >= left && x < left + 16 && y >= top && y < top + 16;
                    byte r, g, b;
                    if (inside)
                    {
                        var check = (((x - left) / 4) + ((y - top) / 4)) % 2 == 0;
                        (r, g, b) = check ? ((byte)230, (byte)200, (byte)60) : ((byte)150, (byte)90, (byte)30);
                    }
                    else
                    {
                        var v = (byte)(40 + (((x * 7) + (y * 13)) % 11));
                        (r, g, b) = (v, v, v);
                    }

                    var o = ((((t * size) + y) * size) + x) * 3;
                    (data[o], data[o + 1], data[o + 2]) = (r, g, b);
                }
            }
        }

        return new ClipTensor(frames, size, size, ClipTensor.RgbChannels, data);
    }

    [Theory]
    [InlineData(FlowAlgorithm.Farneback)]
    [InlineData(FlowAlgorithm.TvL1)]
    public void Gives_T_minus_1_two_channel_frames_of_the_same_size(FlowAlgorithm algorithm)
    {
        var rgb = new ClipTensor(5, 32, 40, ClipTensor.RgbChannels, new byte[5 * 32 * 40 * 3]);
        var flow = FlowStack.Compute(rgb, algorithm, 8);
        Assert.Equal((4, 32, 40, ClipTensor.FlowChannels), (flow.Frames, flow.Height, flow.Width, flow.Channels));

        // A still (blank) clip has zero flow everywhere: 127.5 rounds half up to 128.
        Assert.All(flow.Data, q => Assert.Equal(128, q));
    }

    [Theory]
    [InlineData(FlowAlgorithm.Farneback)]
    [InlineData(FlowAlgorithm.TvL1)]
    public void A_rightward_moving_square_has_positive_x_flow_in_the_quantised_stack(FlowAlgorithm algorithm)
    {
        const int size = 64, step = 2, start = 12, top = 24;
        const double bound = 8;
        var flow = FlowStack.Compute(MovingSquare(4, size, step, start, top), algorithm, bound);
        for (var t = 0; t < flow.Frames; t++)
        {
            double sumX = 0, sumY = 0;
            var count = 0;
            var left = start + (t * step);
            for (var y = top; y < top + 16; y++)
            {
                for (var x = left; x < left + 16; x++)
                {
                    var o = (t * flow.FrameBytes) + (((y * size) + x) * 2);
                    sumX += flow.Data[o];
                    sumY += flow.Data[o + 1];
                    count++;
                }
            }

            // 2 px right at bound 8 is q ≈ 127.5 + 2·255/16 ≈ 159.4.
            var (meanX, meanY) = (sumX / count, sumY / count);
            output.WriteLine($"{algorithm} pair {t}: mean q inside the square x {meanX:F1}, y {meanY:F1}");
            Assert.True(meanX > 127.5 + 15, $"mean x q {meanX:F1} does not show rightward motion");
            Assert.True(Math.Abs(meanY - 127.5) < 8, $"mean y q {meanY:F1} shows vertical motion that is not there");
        }
    }

    [Theory]
    [InlineData(FlowAlgorithm.Farneback)]
    [InlineData(FlowAlgorithm.TvL1)]
    public void Is_a_deterministic_pure_function_also_when_called_concurrently(FlowAlgorithm algorithm)
    {
        var rgb = MovingSquare(4, 48, 1, 8, 16);
        var copy = rgb.Data.ToArray();
        var first = FlowStack.Compute(rgb, algorithm, 6);
        var parallel = new ClipTensor[4];
        Parallel.For(0, parallel.Length, i => parallel[i] = FlowStack.Compute(rgb, algorithm, 6));
        Assert.Equal(copy, rgb.Data);
        Assert.All(parallel, p => Assert.Equal(first.Data, p.Data));
    }

    [Fact]
    public void Gray_conversion_matches_OpenCVs_RGB2GRAY()
    {
        var random = new Random(3);
        var rgb = new byte[3 * 4096];
        random.NextBytes(rgb);

        // Every grey level and the extremes of each channel.
        for (var i = 0; i < 256; i++)
        {
            rgb[3 * i] = rgb[(3 * i) + 1] = rgb[(3 * i) + 2] = (byte)i;
        }

        var gray = new byte[4096];
        FlowStack.RgbToGray(rgb, gray);
        using var mat = new Mat(64, 64, MatType.CV_8UC3);
        rgb.CopyTo(mat.AsSpan<byte>());
        using var expected = new Mat();
        Cv2.CvtColor(mat, expected, ColorConversionCodes.RGB2GRAY);
        Assert.Equal(expected.AsSpan<byte>().ToArray(), gray);
    }

    [Fact]
    public void Rejects_what_is_not_an_RGB_clip_of_two_frames_or_more()
    {
        var one = new ClipTensor(1, 8, 8, ClipTensor.RgbChannels, new byte[8 * 8 * 3]);
        var flowClip = new ClipTensor(2, 8, 8, ClipTensor.FlowChannels, new byte[2 * 8 * 8 * 2]);
        var two = new ClipTensor(2, 8, 8, ClipTensor.RgbChannels, new byte[2 * 8 * 8 * 3]);
        Assert.Throws<ArgumentException>(() => FlowStack.Compute(one, FlowAlgorithm.TvL1, 20));
        Assert.Throws<ArgumentException>(() => FlowStack.Compute(flowClip, FlowAlgorithm.TvL1, 20));
        Assert.Throws<ArgumentOutOfRangeException>(() => FlowStack.Compute(two, FlowAlgorithm.TvL1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => FlowStack.Compute(two, (FlowAlgorithm)7, 20));
    }
}
