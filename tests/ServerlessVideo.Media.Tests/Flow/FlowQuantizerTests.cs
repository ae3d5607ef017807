using ServerlessVideo.Media.Flow;

namespace ServerlessVideo.Media.Tests.Flow;

public sealed class FlowQuantizerTests
{
    [Theory]
    [InlineData(20.0)]
    [InlineData(6.0)]
    public void Round_trip_error_is_at_most_half_a_step_inside_the_bound(double bound)
    {
        // One step is 2·bound/255 px, so rounding costs at most bound/255 (plus float rounding).
        var values = Enumerable.Range(0, 20001).Select(i => (float)(-bound + (i * 2 * bound / 20000))).ToArray();
        var bytes = new byte[values.Length];
        var back = new float[values.Length];
        FlowQuantizer.Quantize(values, bound, bytes);
        FlowQuantizer.Dequantize(bytes, bound, back);
        var worst = values.Zip(back, (v, b) => Math.Abs(v - b)).Max();
        Assert.True(worst <= (bound / 255) + 1e-5, $"worst round-trip error {worst} > {bound / 255}");
        Assert.True(worst >= (bound / 255) * 0.9, "a dense sweep should come close to the half-step worst case");
    }

    [Fact]
    public void Clips_at_the_bound_and_maps_its_ends_to_0_and_255()
    {
        const double bound = 20;
        Assert.Equal(0, FlowQuantizer.Quantize(-20f, bound));
        Assert.Equal(255, FlowQuantizer.Quantize(20f, bound));
        Assert.Equal(0, FlowQuantizer.Quantize(-35.5f, bound));
        Assert.Equal(255, FlowQuantizer.Quantize(1e9f, bound));
        Assert.Equal(0, FlowQuantizer.Quantize(float.NegativeInfinity, bound));
        Assert.Equal(-20f, FlowQuantizer.Dequantize(0, bound));
        Assert.Equal(20f, FlowQuantizer.Dequantize(255, bound));
    }

    [Fact]
    public void Zero_motion_sits_between_127_and_128_and_rounds_half_up()
    {
        // (0 + b)·255/(2b) = 127.5 exactly.
        Assert.Equal(128, FlowQuantizer.Quantize(0f, 20));
        Assert.Equal(128, FlowQuantizer.Quantize(float.NaN, 20));
        Assert.Equal(127, FlowQuantizer.Quantize(-0.1f, 20));
        Assert.Equal(20.0 / 255, FlowQuantizer.Dequantize(128, 20), 6);
    }

    [Fact]
    public void Span_and_scalar_forms_agree_and_bad_arguments_throw()
    {
        var values = new[] { -3.3f, 0.01f, 7.9f, 19.99f };
        var bytes = new byte[4];
        FlowQuantizer.Quantize(values, 8, bytes);
        Assert.Equal(values.Select(v => FlowQuantizer.Quantize(v, 8)), bytes);
        Assert.Throws<ArgumentOutOfRangeException>(() => FlowQuantizer.Quantize(1f, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => FlowQuantizer.Quantize(1f, double.NaN));
        Assert.Throws<ArgumentException>(() => FlowQuantizer.Quantize(values, 8, new byte[3]));
    }
}
