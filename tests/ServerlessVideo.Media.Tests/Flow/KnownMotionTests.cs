using ServerlessVideo.Media.Flow;
using Xunit.Abstractions;

namespace ServerlessVideo.Media.Tests.Flow;

/// <summary>
/// Both algorithms on 64×64 frames rendered from a smooth analytic texture moved by a known amount, so the true flow
/// is exact: sub-pixel translations and a rotation. End-point errors are averaged inside a 4-pixel border (content
/// entering or leaving the frame has no right answer). Bounds sit just above the errors measured when they were written.
/// </summary>
public sealed class KnownMotionTests(ITestOutputHelper output)
{
    private const int Size = 64;
    private const int Margin = 4;

    private static float[] Flow(FlowAlgorithm algorithm, byte[] a, byte[] b) => algorithm == FlowAlgorithm.Farneback
        ? FarnebackFlow.Compute(a, b, Size, Size)
        : TvL1Flow.Default.Compute(a, b, Size, Size);

    // Measured mean EPE (px), TV-L1 / Farnebäck: (0.6, −0.35) 0.054 / 0.011; (1.3, 0.7) 0.061 / 0.012;
    // (2.25, −1.5) 0.044 / 0.014.
    [Theory]
    [InlineData(FlowAlgorithm.TvL1, 0.6, -0.35, 0.08)]
    [InlineData(FlowAlgorithm.TvL1, 1.3, 0.7, 0.08)]
    [InlineData(FlowAlgorithm.TvL1, 2.25, -1.5, 0.08)]
    [InlineData(FlowAlgorithm.Farneback, 0.6, -0.35, 0.025)]
    [InlineData(FlowAlgorithm.Farneback, 1.3, 0.7, 0.025)]
    [InlineData(FlowAlgorithm.Farneback, 2.25, -1.5, 0.025)]
    public void Recovers_a_sub_pixel_translation(FlowAlgorithm algorithm, double dx, double dy, double maxMeanEpe)
    {
        // Content moves by (dx, dy): frame1(x) = frame0(x − d), so the flow from frame 0 to frame 1 is d everywhere.
        var frame0 = FlowTestImages.Render(Size, (x, y) => (x, y));
        var frame1 = FlowTestImages.Render(Size, (x, y) => (x - dx, y - dy));
        var flow = Flow(algorithm, frame0, frame1);
        var epe = FlowTestImages.MeanEndPointError(flow, Size, (_, _) => (dx, dy), Margin);
        output.WriteLine($"{algorithm} translation ({dx}, {dy}): mean EPE {epe:F4} px");
        Assert.True(epe <= maxMeanEpe, $"mean EPE {epe:F4} px > {maxMeanEpe} px");
    }

    // Measured mean EPE (px): TV-L1 0.070, Farnebäck 0.143 (up to 2.3 px of motion in the corners).
    [Theory]
    [InlineData(FlowAlgorithm.TvL1, 0.09)]
    [InlineData(FlowAlgorithm.Farneback, 0.17)]
    public void Recovers_a_rotation(FlowAlgorithm algorithm, double maxMeanEpe)
    {
        const double degrees = 3;
        var theta = degrees * Math.PI / 180;
        double cos = Math.Cos(theta), sin = Math.Sin(theta), c = (Size - 1) / 2.0;
        var frame0 = FlowTestImages.Render(Size, (x, y) => (x, y));

        // Frame 1 shows frame 0 turned by θ about the centre: frame1(p) = frame0(R⁻¹(p − c) + c).
        var frame1 = FlowTestImages.Render(Size, (x, y) => ((cos * (x - c)) + (sin * (y - c)) + c, (-sin * (x - c)) + (cos * (y - c)) + c));
        var flow = Flow(algorithm, frame0, frame1);
        var epe = FlowTestImages.MeanEndPointError(
            flow,
            Size,
            (x, y) => ((cos * (x - c)) - (sin * (y - c)) + c - x, (sin * (x - c)) + (cos * (y - c)) + c - y),
            Margin);
        output.WriteLine($"{algorithm} rotation {degrees}°: mean EPE {epe:F4} px");
        Assert.True(epe <= maxMeanEpe, $"mean EPE {epe:F4} px > {maxMeanEpe} px");
    }

    [Fact]
    public void The_two_algorithms_agree_on_the_same_motion()
    {
        var frame0 = FlowTestImages.Render(Size, (x, y) => (x, y));
        var frame1 = FlowTestImages.Render(Size, (x, y) => (x - 1.3, y - 0.7));
        var tvl1 = Flow(FlowAlgorithm.TvL1, frame0, frame1);
        var farneback = Flow(FlowAlgorithm.Farneback, frame0, frame1);
        var difference = FlowTestImages.MeanEndPointError(
            tvl1,
            Size,
            (x, y) => (farneback[2 * ((y * Size) + x)], farneback[(2 * ((y * Size) + x)) + 1]),
            Margin);
        output.WriteLine($"mean |TV-L1 − Farnebäck| {difference:F4} px");
        Assert.True(difference <= 0.08, $"TV-L1 and Farnebäck differ by {difference:F4} px on average");
    }
}
