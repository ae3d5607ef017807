using ServerlessVideo.Training.Export;
using ServerlessVideo.Training.Nets.Blocks;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ServerlessVideo.Training.Nets;

/// <summary>
/// A 3D CNN over NCTHW clips: a stack of conv + batch-norm + ReLU layers (3D kernels, or factorised into spatial and
/// temporal ones), global average pooling over time and space, and a linear classifier. C3D, I3D and R(2+1)D differ
/// only in their layers and initialisation; see <see cref="Cnn3dFamilies"/>.
/// </summary>
public sealed class Cnn3dNet : VideoNet
{
    public Cnn3dNet(string name, IEnumerable<ConvBn3d> layers, int classes) : base(name)
    {
        foreach (var layer in layers)
        {
            Layers.Add(layer);
        }

        Dropout = nn.Dropout(0.3);
        Fc = Linear(Layers[^1].Conv.out_channels, classes);
        RegisterComponents();
    }

    public ModuleList<ConvBn3d> Layers { get; } = new();

    public Linear Fc { get; }

    private Dropout Dropout { get; }

    public override string Layout => "NCTHW";

    public override Tensor forward(Tensor x)
    {
        foreach (var layer in Layers)
        {
            x = layer.call(x);
        }

        MacCounter.Add(Fc.in_features * Fc.out_features * x.shape[0]);
        return Fc.call(Dropout.call(x.mean([2, 3, 4])));
    }

    /// <summary>I3D's start: the 2D kernels inflated along time (<see cref="Inflation.From2d"/>).</summary>
    public override string InitialiseFrom(string onnxPath)
    {
        Inflation.From2d(this, onnxPath);
        return "inflating the 2D CNN (I3D)";
    }

    public override string Export(GraphWriter w, int frames, int size)
    {
        ArgumentNullException.ThrowIfNull(w);
        var x = OnnxExporter.Input;
        foreach (var layer in Layers)
        {
            x = layer.Export(w, x);
        }

        return w.Linear(w.Mean(x, 2, 3, 4), Fc);
    }
}
