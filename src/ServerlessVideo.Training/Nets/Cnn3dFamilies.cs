using ServerlessVideo.Training.Nets.Blocks;

namespace ServerlessVideo.Training.Nets;

/// <summary>
/// The 3D CNN families at the scale of the frame-level CNN (channels 3 → 24 → 48 → 72 → 96, four spatial stride-2
/// stages, 64² → 4²), so their costs and accuracies compare with TSN's directly.
/// </summary>
public static class Cnn3dFamilies
{
    public static readonly int[] Channels = FrameCnn.Channels;

    /// <summary>C3D (Tran et al. 2015): 3×3×3 kernels everywhere; time pooled 8 → 2 in the middle stages.</summary>
    public static Cnn3dNet C3d(int classes) => new(
        "C3dNet",
        Stages((1, 2, 2), (2, 2, 2), (2, 2, 2), (1, 2, 2)).Select(s => new ConvBn3d(s.In, s.Out, (3, 3, 3), s.Stride)),
        classes);

    /// <summary>
    /// I3D (Carreira and Zisserman 2017): the 2D frame CNN's 3×3 kernels inflated to 3×3×3, keeping full temporal
    /// resolution in the early stages as I3D does; initialised from 2D weights by <see cref="Inflation"/>.
    /// </summary>
    public static Cnn3dNet I3d(int classes) => new(
        "I3dNet",
        Stages((1, 2, 2), (1, 2, 2), (2, 2, 2), (2, 2, 2)).Select(s => new ConvBn3d(s.In, s.Out, (3, 3, 3), s.Stride)),
        classes);

    /// <summary>
    /// R(2+1)D (Tran et al. 2018): every t×d×d convolution factorised into a 1×d×d spatial one and a t×1×1 temporal one
    /// with a ReLU between, the middle width Mᵢ = ⌊t·d²·Nᵢ₋₁·Nᵢ / (d²·Nᵢ₋₁ + t·Nᵢ)⌋ matching C3D's parameters.
    /// </summary>
    public static Cnn3dNet R2Plus1d(int classes) => new(
        "R2Plus1dNet",
        Stages((1, 2, 2), (2, 2, 2), (2, 2, 2), (1, 2, 2)).SelectMany(s =>
        {
            var middle = 27L * s.In * s.Out / ((9L * s.In) + (3L * s.Out));
            return new[]
            {
                new ConvBn3d(s.In, middle, (1, 3, 3), (1, s.Stride.H, s.Stride.W)),
                new ConvBn3d(middle, s.Out, (3, 1, 1), (s.Stride.T, 1, 1)),
            };
        }),
        classes);

    private static IEnumerable<(long In, long Out, (long T, long H, long W) Stride)> Stages(params (long T, long H, long W)[] strides) =>
        strides.Select((stride, i) => ((long)Channels[i], (long)Channels[i + 1], stride));
}
