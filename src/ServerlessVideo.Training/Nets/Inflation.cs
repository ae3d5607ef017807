using Onnx;
using ServerlessVideo.Training.Nets.Blocks;
using static TorchSharp.torch;

namespace ServerlessVideo.Training.Nets;

/// <summary>
/// I3D's bootstrap: a trained 2D CNN's k×k kernels become k×k×k kernels by repeating them along time and dividing by
/// k, so a "boring" clip (one frame repeated) gives the 2D network's activations away from the clip's first and last
/// frames (zero padding in time weakens those). The 2D weights come from a committed frame-level model's ONNX file,
/// batch norm already folded: each 3D layer's norm starts as the identity plus that bias in eval mode; training then
/// re-estimates its statistics as usual.
/// </summary>
public static class Inflation
{
    /// <summary>
    /// Loads a committed frame-level model's 2D CNN into <paramref name="cnn"/> as it is (no inflation): each conv takes
    /// the folded weight, and its norm starts as the identity plus the folded bias in eval mode.
    /// </summary>
    public static void Load(FrameCnn cnn, string onnxPath)
    {
        ArgumentNullException.ThrowIfNull(cnn);
        var initializers = ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnxPath)).Graph.Initializer.ToDictionary(t => t.Name);
        using var _ = no_grad();
        for (var i = 0; i < cnn.Convs.Count; i++)
        {
            if (!initializers.TryGetValue($"conv{i}_w", out var w) || !initializers.TryGetValue($"conv{i}_b", out var b))
            {
                throw new InvalidDataException($"{onnxPath} has no conv{i}_w/conv{i}_b to start from.");
            }

            var weight = tensor(w.FloatData.ToArray(), w.Dims.ToArray());
            if (!weight.shape.SequenceEqual(cnn.Convs[i].weight!.shape))
            {
                throw new InvalidDataException($"2D layer {i} [{string.Join(',', w.Dims)}] does not fit [{string.Join(',', cnn.Convs[i].weight!.shape)}].");
            }

            cnn.Convs[i].weight!.copy_(weight);
            cnn.Norms[i].weight!.fill_(1);
            cnn.Norms[i].bias!.copy_(tensor(b.FloatData.ToArray()));
            cnn.Norms[i].running_mean!.zero_();
            cnn.Norms[i].running_var!.fill_(1);
        }
    }

    public static void From2d(Cnn3dNet net, string onnxPath)
    {
        ArgumentNullException.ThrowIfNull(net);
        var initializers = ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnxPath)).Graph.Initializer.ToDictionary(t => t.Name);
        using var _ = no_grad();
        for (var i = 0; i < net.Layers.Count; i++)
        {
            var layer = net.Layers[i];
            if (!initializers.TryGetValue($"conv{i}_w", out var w2d) || !initializers.TryGetValue($"conv{i}_b", out var b2d))
            {
                throw new InvalidDataException($"{onnxPath} has no conv{i}_w/conv{i}_b to inflate from.");
            }

            var kt = layer.Kernel[0];
            var weight = tensor(w2d.FloatData.ToArray(), w2d.Dims.ToArray()).unsqueeze(2).repeat(1, 1, kt, 1, 1) / kt;
            if (!weight.shape.SequenceEqual(layer.Conv.weight!.shape))
            {
                throw new InvalidDataException($"2D layer {i} [{string.Join(',', w2d.Dims)}] does not inflate to [{string.Join(',', layer.Conv.weight!.shape)}].");
            }

            layer.Conv.weight!.copy_(weight);
            layer.Norm.weight!.fill_(1);
            layer.Norm.bias!.copy_(tensor(b2d.FloatData.ToArray()));
            layer.Norm.running_mean!.zero_();
            layer.Norm.running_var!.fill_(1);
        }
    }
}
