using Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ServerlessVideo.Training.Nets;

/// <summary>
/// Starts from a committed frame-level model's trained 2D CNN, read from its ONNX file (batch norm already folded):
/// each conv takes the folded weight, as it is (<see cref="Load"/>) or inflated along time (<see cref="From2d"/>), and
/// its norm starts as the identity plus the folded bias in eval mode; training then re-estimates its statistics as usual.
/// I3D's inflation: k×k kernels become k×k×k kernels by repeating them along time and dividing by k, so a "boring"
/// clip (one frame repeated) gives the 2D network's activations away from the clip's first and last frames (zero
/// padding in time weakens those).
/// </summary>
public static class Inflation
{
    /// <summary>The 2D CNN into <paramref name="cnn"/> as it is, for as many blocks as it has.</summary>
    public static void Load(FrameCnn cnn, string onnxPath)
    {
        ArgumentNullException.ThrowIfNull(cnn);
        LoadLayers(onnxPath, cnn.Convs.Count, "start from", (i, weight2d) => (weight2d, cnn.Convs[i].weight!, cnn.Norms[i]));
    }

    /// <summary>The 2D CNN inflated into <paramref name="net"/>'s 3D layers (I3D).</summary>
    public static void From2d(Cnn3dNet net, string onnxPath)
    {
        ArgumentNullException.ThrowIfNull(net);
        LoadLayers(onnxPath, net.Layers.Count, "inflate from", (i, weight2d) =>
        {
            var layer = net.Layers[i];
            var kt = layer.Kernel[0];
            return (weight2d.unsqueeze(2).repeat(1, 1, kt, 1, 1) / kt, layer.Conv.weight!, layer.Norm);
        });
    }

    /// <summary>
    /// For layers 0…<paramref name="count"/>−1: <paramref name="layer"/> turns the 2D weight into the target's and names
    /// the target conv weight and norm; the weight is copied (its shape checked) and the norm started from the bias.
    /// </summary>
    private static void LoadLayers(string onnxPath, int count, string verb, Func<int, Tensor, (Tensor Weight, Tensor Target, BatchNorm Norm)> layer)
    {
        var initializers = ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnxPath)).Graph.Initializer.ToDictionary(t => t.Name);
        using var _ = no_grad();
        for (var i = 0; i < count; i++)
        {
            if (!initializers.TryGetValue($"conv{i}_w", out var w2d) || !initializers.TryGetValue($"conv{i}_b", out var b2d))
            {
                throw new InvalidDataException($"{onnxPath} has no conv{i}_w/conv{i}_b to {verb}.");
            }

            var (weight, target, norm) = layer(i, tensor(w2d.FloatData.ToArray(), w2d.Dims.ToArray()));
            if (!weight.shape.SequenceEqual(target.shape))
            {
                throw new InvalidDataException($"2D layer {i} [{string.Join(',', w2d.Dims)}] does not fit [{string.Join(',', target.shape)}].");
            }

            target.copy_(weight);
            norm.weight!.fill_(1);
            norm.bias!.copy_(tensor(b2d.FloatData.ToArray()));
            norm.running_mean!.zero_();
            norm.running_var!.fill_(1);
        }
    }
}
