using OpenCvSharp;
using ServerlessVideo.Core.Tensors;
using ServerlessVideo.Media.Flow;

namespace ServerlessVideo.Media.Tests.Flow;

public sealed class FlowImageTests
{
    private static Vec3b Pixel(byte[] png, int x, int y)
    {
        using var decoded = Cv2.ImDecode(png, ImreadModes.Color);
        return decoded.At<Vec3b>(y, x);
    }

    [Fact]
    public void Draws_a_decodable_png_of_the_field_size_with_direction_as_hue()
    {
        const int width = 40, height = 24;

        // Left half moves right (+2, 0), right half moves left (−2, 0), bottom-left corner is still.
        var flow = new float[2 * width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var isStill = x < 4 && y >= height - 4;
                flow[2 * ((y * width) + x)] = isStill ? 0 : x < width / 2 ? 2f : -2f;
            }
        }

        var png = FlowImage.ToPng(flow, width, height);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        using (var decoded = Cv2.ImDecode(png, ImreadModes.Unchanged))
        {
            Assert.Equal((width, height, 3), (decoded.Width, decoded.Height, decoded.Channels()));
        }

        // Hue 0° (right) is red, 180° (left) is cyan; both at full value (largest magnitude). BGR order.
        var right = Pixel(png, 5, 5);
        var left = Pixel(png, width - 5, 5);
        Assert.Equal((0, 0, 255), (right.Item0, right.Item1, right.Item2));
        Assert.Equal((255, 255, 0), (left.Item0, left.Item1, left.Item2));
        var still = Pixel(png, 1, height - 1);
        Assert.Equal((0, 0, 0), (still.Item0, still.Item1, still.Item2));
    }

    [Fact]
    public void Draws_a_frame_of_a_quantised_flow_clip()
    {
        // One 8×8 frame, x = +4 px (q = 191.25 → 191 at bound 8), y = 0 (q 128): rightward, so red.
        var data = new byte[8 * 8 * 2];
        for (var i = 0; i < 64; i++)
        {
            (data[2 * i], data[(2 * i) + 1]) = (191, 128);
        }

        var png = FlowImage.ToPng(new ClipTensor(1, 8, 8, ClipTensor.FlowChannels, data), 0, 8);
        var p = Pixel(png, 3, 3);
        Assert.True(p.Item2 > 200 && p.Item0 < 40, $"expected red, got BGR {p.Item0},{p.Item1},{p.Item2}");
        Assert.Throws<ArgumentOutOfRangeException>(() => FlowImage.ToPng(new ClipTensor(1, 8, 8, ClipTensor.FlowChannels, data), 1, 8));
    }
}
