using ServerlessVideo.Training.Export;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ServerlessVideo.Training.Nets.Blocks;

/// <summary>
/// A bias-free 3D convolution (kernel t×h×w, padding "same" per axis), batch norm and, optionally, ReLU. Batch norm is
/// folded into the convolution on export.
/// </summary>
public sealed class ConvBn3d : Module<Tensor, Tensor>
{
    private readonly bool _relu;

    public ConvBn3d(long input, long output, (long T, long H, long W) kernel, (long T, long H, long W) stride, bool relu = true)
        : base(nameof(ConvBn3d))
    {
        Kernel = [kernel.T, kernel.H, kernel.W];
        Stride = [stride.T, stride.H, stride.W];
        Padding = [kernel.T / 2, kernel.H / 2, kernel.W / 2];
        Conv = Conv3d(input, output, (kernel.T, kernel.H, kernel.W), (stride.T, stride.H, stride.W), (Padding[0], Padding[1], Padding[2]), bias: false);
        Norm = BatchNorm3d(output);
        _relu = relu;
        RegisterComponents();
    }

    public Conv3d Conv { get; }

    public BatchNorm3d Norm { get; }

    public long[] Kernel { get; }

    public long[] Stride { get; }

    public long[] Padding { get; }

    public override Tensor forward(Tensor x)
    {
        var y = Norm.call(Conv.call(x));
        MacCounter.Add(y.numel() * Conv.in_channels * Kernel[0] * Kernel[1] * Kernel[2]);
        return _relu ? functional.relu(y) : y;
    }

    public string Export(GraphWriter w, string x)
    {
        ArgumentNullException.ThrowIfNull(w);
        var y = w.ConvBn(x, Conv.weight!, Stride, Padding, Norm);
        return _relu ? w.Relu(y) : y;
    }
}
