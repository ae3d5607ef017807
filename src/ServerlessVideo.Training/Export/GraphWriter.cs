using ServerlessVideo.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ServerlessVideo.Training.Export;

/// <summary>
/// Writes TorchSharp layers as ONNX nodes with generated names, so a network's export reads like its forward pass.
/// Every method returns the name of the tensor it produced.
/// </summary>
public sealed class GraphWriter(OnnxGraphBuilder graph)
{
    private int _next;

    public OnnxGraphBuilder Graph { get; } = graph;

    public string NewName(string prefix) => $"{prefix}_{_next++}";

    public string Op(string opType, string[] inputs, params (string Name, object Value)[] attributes)
    {
        var output = NewName(opType.ToLowerInvariant());
        Graph.Node(opType, inputs, [output], attributes);
        return output;
    }

    public string Constant(float[] values, params long[] dims)
    {
        var name = NewName("const");
        Graph.Initializer(name, values, dims);
        return name;
    }

    public string Longs(params long[] values)
    {
        var name = NewName("shape");
        Graph.Int64s(name, values);
        return name;
    }

    public string Reshape(string x, params long[] shape) => Op("Reshape", [x, Longs(shape)]);

    public string Transpose(string x, params long[] perm) => Op("Transpose", [x], ("perm", perm));

    public string Relu(string x) => Op("Relu", [x]);

    public string Add(string a, string b) => Op("Add", [a, b]);

    public string MatMul(string a, string b) => Op("MatMul", [a, b]);

    public string Mean(string x, params long[] axes) => Op("ReduceMean", [x], ("axes", axes), ("keepdims", 0L));

    public string Softmax(string x, long axis) => Op("Softmax", [x], ("axis", axis));

    /// <summary>x·Wᵀ + b over the last axis of a tensor of any rank (MatMul + Add, as torch.nn.Linear).</summary>
    public string Linear(string x, Linear layer)
    {
        var (o, i) = ((int)layer.out_features, (int)layer.in_features);
        var y = MatMul(x, Constant(Weights.Transpose(Weights.Of(layer.weight!), o, i), i, o));
        return layer.bias is null ? y : Add(y, Constant(Weights.Of(layer.bias), o));
    }

    /// <summary>LayerNormalization over the last axis (opset 17).</summary>
    public string LayerNorm(string x, LayerNorm norm)
    {
        var scale = Weights.Of(norm.weight!);
        return Op("LayerNormalization", [x, Constant(scale, scale.Length), Constant(Weights.Of(norm.bias!), scale.Length)],
            ("axis", -1L), ("epsilon", (float)norm.eps));
    }

    /// <summary>Exact GELU, 0.5·x·(1 + erf(x/√2)), as torch.nn.functional.gelu.</summary>
    public string Gelu(string x)
    {
        var erf = Op("Erf", [Op("Mul", [x, Constant([(float)(1 / Math.Sqrt(2))], 1)])]);
        var onePlus = Add(erf, Constant([1f], 1));
        return Op("Mul", [Op("Mul", [x, onePlus]), Constant([0.5f], 1)]);
    }

    /// <summary>A bias-free convolution followed by eval-mode batch norm, folded into one Conv with bias.</summary>
    public string ConvBn(string x, Tensor convWeight, long[] stride, long[] padding, TorchSharp.torch.nn.Module norm)
    {
        var shape = convWeight.shape;
        var (w, b) = Weights.FoldBatchNorm(convWeight, norm);
        return Op("Conv", [x, Constant(w, shape), Constant(b, shape[0])],
            ("kernel_shape", shape[2..]), ("strides", stride), ("pads", padding.Concat(padding).ToArray()));
    }
}
