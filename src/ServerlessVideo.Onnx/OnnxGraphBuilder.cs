using Google.Protobuf;
using Onnx;

namespace ServerlessVideo.Onnx;

/// <summary>
/// A small fluent writer of ONNX graphs: typed inputs and outputs (a dimension of -1 is symbolic), float
/// initializers and nodes with int/ints/float attributes. Output is deterministic bytes for the same calls.
/// </summary>
public sealed class OnnxGraphBuilder
{
    private const int FloatType = 1;
    private const int Int64Type = 7;
    private readonly GraphProto _graph;
    private readonly int _opset;
    private int _nodeCount;

    public OnnxGraphBuilder(string name, int opset)
    {
        _graph = new GraphProto { Name = name };
        _opset = opset;
    }

    public OnnxGraphBuilder Input(string name, params long[] dims)
    {
        _graph.Input.Add(ValueInfo(name, dims));
        return this;
    }

    public OnnxGraphBuilder Output(string name, params long[] dims)
    {
        _graph.Output.Add(ValueInfo(name, dims));
        return this;
    }

    /// <summary>A constant float tensor, row-major.</summary>
    public OnnxGraphBuilder Initializer(string name, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = FloatType };
        tensor.Dims.AddRange(dims);
        tensor.FloatData.AddRange(values);
        _graph.Initializer.Add(tensor);
        return this;
    }

    /// <summary>A constant int64 tensor (shapes, axes).</summary>
    public OnnxGraphBuilder Int64s(string name, params long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = Int64Type };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        return this;
    }

    /// <summary>A node; attribute values may be <c>long</c>, <c>long[]</c>, <c>float</c> or <c>float[]</c>.</summary>
    public OnnxGraphBuilder Node(string opType, string[] inputs, string[] outputs, params (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = $"{opType}_{_nodeCount++}" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        foreach (var (name, value) in attributes)
        {
            node.Attribute.Add(Attribute(name, value));
        }

        _graph.Node.Add(node);
        return this;
    }

    public byte[] ToBytes(string producer, string docString)
    {
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = producer,
            ProducerVersion = "1",
            DocString = docString,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = _opset });
        return model.ToByteArray();
    }

    private static ValueInfoProto ValueInfo(string name, long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(d < 0 ? new TensorShapeProto.Types.Dimension { DimParam = $"{name}_d{shape.Dim.Count}" } : new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = FloatType, Shape = shape } },
        };
    }

    private static AttributeProto Attribute(string name, object value)
    {
        var a = new AttributeProto { Name = name };
        switch (value)
        {
            case long or int:
                a.Type = AttributeProto.Types.AttributeType.Int;
                a.I = Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
                break;
            case long[] ints:
                a.Type = AttributeProto.Types.AttributeType.Ints;
                a.Ints.AddRange(ints);
                break;
            case float f:
                a.Type = AttributeProto.Types.AttributeType.Float;
                a.F = f;
                break;
            case float[] floats:
                a.Type = AttributeProto.Types.AttributeType.Floats;
                a.Floats.AddRange(floats);
                break;
            default:
                throw new ArgumentException($"Unsupported attribute type {value.GetType().Name} for '{name}'.", nameof(value));
        }

        return a;
    }
}
