using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ServerlessVideo.Training.Nets;

/// <summary>
/// The per-frame 2D CNN all frame-level families share: four stride-2 3×3 conv + batch-norm + ReLU blocks,
/// 64² RGB → 96 × 4 × 4 (or its first <c>layers</c> blocks, as a stem). Batch norm is folded into the convolutions
/// when exported.
/// </summary>
public sealed class FrameCnn : Module<Tensor, Tensor>
{
    public static readonly int[] Channels = [3, 24, 48, 72, 96];

    public FrameCnn(int layers = 4) : base(nameof(FrameCnn))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(layers, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(layers, Channels.Length - 1);
        for (var i = 0; i < layers; i++)
        {
            Convs.Add(Conv2d(Channels[i], Channels[i + 1], 3, stride: 2, padding: 1, bias: false));
            Norms.Add(BatchNorm2d(Channels[i + 1]));
        }

        RegisterComponents();
    }

    public ModuleList<Conv2d> Convs { get; } = new();

    public ModuleList<BatchNorm2d> Norms { get; } = new();

    public static int OutChannels => Channels[^1];

    /// <summary>
    /// [B, 3, H, W] → [B, 96, H/16, W/16], laid out channels-last in memory (strides of [B, H, W, C]): oneDNN's
    /// convolutions, batch norm and ReLU all have channels-last kernels, and an axial TimeSformer's first training epoch
    /// took 38 s on this layout against 47–49 s on NCHW (models/README.md). The values are the same up to the order of
    /// float sums.
    /// </summary>
    public override Tensor forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        x = x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
        for (var i = 0; i < Convs.Count; i++)
        {
            x = functional.relu(Norms[i].call(Convs[i].call(x)));
        }

        return x;
    }

    /// <summary>Multiply-accumulates per frame of <paramref name="size"/>² through the first <paramref name="layers"/> blocks.</summary>
    public static long MacsPerFrame(int size, int layers = 4)
    {
        long macs = 0;
        var s = size;
        for (var i = 0; i < layers; i++)
        {
            s = (s + 1) / 2;
            macs += (long)s * s * Channels[i + 1] * Channels[i] * 9;
        }

        return macs;
    }
}
