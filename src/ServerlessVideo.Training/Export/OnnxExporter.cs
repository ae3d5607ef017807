using ServerlessVideo.Onnx;
using ServerlessVideo.Training.Nets;
using static TorchSharp.torch;

namespace ServerlessVideo.Training.Export;

/// <summary>
/// Writes a trained <see cref="VideoNet"/> as an ONNX graph (opset 17) with the network's inputs (by default
/// <c>video</c>, one clip per batch row in the network's layout) and output <c>logits</c> [N, classes]. Batch norm is
/// folded; nothing else is approximated, and a parity test holds the graph to the TorchSharp network within 1e-4.
/// </summary>
public static class OnnxExporter
{
    public const string Input = "video";
    public const string Output = "logits";

    public static byte[] Export(VideoNet net, int frames, int size, string docString)
    {
        ArgumentNullException.ThrowIfNull(net);
        var g = new OnnxGraphBuilder(net.GetName(), opset: 17);
        long classes;
        using (no_grad())
        {
            var training = net.training;
            net.eval();
            using var clip = zeros(net.ClipShape(1, frames, size));
            foreach (var (name, value) in net.Feeds(clip))
            {
                g.Input(name, [-1, .. value.shape[1..]]);
            }

            classes = net.call(clip).shape[1];
            net.train(training);
        }

        var logits = net.Export(new GraphWriter(g), frames, size);
        g.Node("Identity", [logits], [Output]);
        return g.Output(Output, -1, classes).ToBytes("ServerlessVideo.Training", docString);
    }

    /// <summary>The frame-level families: per-frame CNN over <c>video</c> [N, T, 3, S, S], then the family's head.</summary>
    internal static string FrameLevel(GraphWriter w, FrameCnnNet net, int frames, int size)
    {
        var g = w.Graph
            .Int64s("frame_shape", -1, 3, size, size)
            .Node("Reshape", [Input, "frame_shape"], ["frames"]);
        var maps = FrameCnn(g, net.Cnn, "frames");
        return net switch
        {
            TsnNet tsn => Tsn(g, tsn, maps, frames),
            CnnLstmNet lstm => Lstm(g, lstm, maps, frames),
            NetVladNet vlad => NetVlad(g, vlad, maps, frames, size),
            _ => throw new NotSupportedException(net.GetType().Name),
        };
    }

    /// <summary>The shared frame CNN, batch norm folded, over <paramref name="input"/> [B, 3, S, S]; returns [B, 96, S/16, S/16].</summary>
    internal static string FrameCnn(OnnxGraphBuilder g, FrameCnn cnn, string input)
    {
        var x = input;
        for (var i = 0; i < cnn.Convs.Count; i++)
        {
            var (w, b) = Weights.FoldBatchNorm(cnn.Convs[i], cnn.Norms[i]);
            var cin = Nets.FrameCnn.Channels[i];
            var cout = Nets.FrameCnn.Channels[i + 1];
            g.Initializer($"conv{i}_w", w, cout, cin, 3, 3).Initializer($"conv{i}_b", b, cout)
                .Node("Conv", [x, $"conv{i}_w", $"conv{i}_b"], [$"conv{i}"],
                    ("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 2, 2 }), ("pads", new long[] { 1, 1, 1, 1 }))
                .Node("Relu", [$"conv{i}"], [$"relu{i}"]);
            x = $"relu{i}";
        }

        return x;
    }

    private static void Linear(OnnxGraphBuilder g, TorchSharp.Modules.Linear layer, string name, string input, string output)
    {
        g.Initializer($"{name}_w", Weights.Of(layer.weight!), layer.out_features, layer.in_features)
            .Initializer($"{name}_b", Weights.Of(layer.bias!), layer.out_features)
            .Node("Gemm", [input, $"{name}_w", $"{name}_b"], [output], ("transB", 1L));
    }

    private const string HeadLogits = "head_logits";

    private static string Tsn(OnnxGraphBuilder g, TsnNet net, string maps, int frames)
    {
        var classes = (int)net.Fc.out_features;
        g.Node("GlobalAveragePool", [maps], ["pooled"]).Node("Flatten", ["pooled"], ["features"], ("axis", 1L));
        Linear(g, net.Fc, "fc", "features", "frame_scores");
        // Segmental consensus: the average of the frames' class scores.
        g.Int64s("score_shape", -1, frames, classes)
            .Node("Reshape", ["frame_scores", "score_shape"], ["clip_scores"])
            .Node("ReduceMean", ["clip_scores"], [HeadLogits], ("axes", new long[] { 1 }), ("keepdims", 0L));
        return HeadLogits;
    }

    private static string Lstm(OnnxGraphBuilder g, CnnLstmNet net, string maps, int frames)
    {
        const int h = CnnLstmNet.Hidden;
        g.Node("Flatten", [maps], ["flat"], ("axis", 1L));
        Linear(g, net.Embed, "embed", "flat", "embedded");
        g.Node("Relu", ["embedded"], ["embedded_relu"])
            .Int64s("seq_shape", -1, frames, CnnLstmNet.Embedding)
            .Node("Reshape", ["embedded_relu", "seq_shape"], ["seq_ntc"])
            .Node("Transpose", ["seq_ntc"], ["seq"], ("perm", new long[] { 1, 0, 2 }));
        var parameters = net.Lstm.named_parameters().ToDictionary(p => p.name, p => Weights.Of(p.parameter));
        var w = Weights.LstmGatesToOnnx(parameters["weight_ih_l0"], h, CnnLstmNet.Embedding);
        var r = Weights.LstmGatesToOnnx(parameters["weight_hh_l0"], h, h);
        var bias = Weights.LstmGatesToOnnx(parameters["bias_ih_l0"], h, 1).Concat(Weights.LstmGatesToOnnx(parameters["bias_hh_l0"], h, 1)).ToArray();
        g.Initializer("lstm_w", w, 1, 4 * h, CnnLstmNet.Embedding).Initializer("lstm_r", r, 1, 4 * h, h).Initializer("lstm_b", bias, 1, 8 * h)
            .Node("LSTM", ["seq", "lstm_w", "lstm_r", "lstm_b"], ["lstm_y", "lstm_h"], ("hidden_size", (long)h))
            .Int64s("axis0", 0)
            .Node("Squeeze", ["lstm_h", "axis0"], ["last"]);
        Linear(g, net.Fc, "fc", "last", HeadLogits);
        return HeadLogits;
    }

    private static string NetVlad(OnnxGraphBuilder g, NetVladNet net, string maps, int frames, int size)
    {
        var d = Nets.FrameCnn.OutChannels;
        var cells = (size / 16) * (size / 16);
        const int k = NetVladNet.Clusters;
        g.Int64s("map_shape", -1, frames, d, cells)
            .Node("Reshape", [maps, "map_shape"], ["maps_ntdc"])
            .Node("Transpose", ["maps_ntdc"], ["maps_ntcd"], ("perm", new long[] { 0, 1, 3, 2 }))
            .Int64s("local_shape", -1, frames * cells, d)
            .Node("Reshape", ["maps_ntcd", "local_shape"], ["local"])
            .Initializer("assign_wt", Weights.Transpose(Weights.Of(net.Assign.weight!), k, d), d, k)
            .Initializer("assign_b", Weights.Of(net.Assign.bias!), k)
            .Node("MatMul", ["local", "assign_wt"], ["assign_raw"])
            .Node("Add", ["assign_raw", "assign_b"], ["assign_logits"])
            .Node("Softmax", ["assign_logits"], ["assign"], ("axis", 2L))
            .Node("Transpose", ["assign"], ["assign_t"], ("perm", new long[] { 0, 2, 1 }))
            .Node("MatMul", ["assign_t", "local"], ["weighted"])
            .Int64s("axis1", 1)
            .Node("ReduceSum", ["assign", "axis1"], ["mass"], ("keepdims", 1L))
            .Node("Transpose", ["mass"], ["mass_t"], ("perm", new long[] { 0, 2, 1 }))
            .Initializer("centres", Weights.Of(net.Centres), k, d)
            .Node("Mul", ["mass_t", "centres"], ["shift"])
            .Node("Sub", ["weighted", "shift"], ["residuals"]);
        Normalize(g, "residuals", 2, "intra");
        g.Int64s("vlad_shape", -1, k * d).Node("Reshape", ["intra", "vlad_shape"], ["vlad_flat"]);
        Normalize(g, "vlad_flat", 1, "vlad");
        Linear(g, net.Fc, "fc", "vlad", HeadLogits);
        return HeadLogits;
    }

    /// <summary>x / max(‖x‖₂, 1e-12) along <paramref name="axis"/>, as torch.nn.functional.normalize.</summary>
    private static void Normalize(OnnxGraphBuilder g, string input, long axis, string output)
    {
        g.Node("ReduceL2", [input], [$"{output}_norm"], ("axes", new long[] { axis }), ("keepdims", 1L))
            .Initializer($"{output}_eps", [1e-12f], 1)
            .Node("Max", [$"{output}_norm", $"{output}_eps"], [$"{output}_safe"])
            .Node("Div", [input, $"{output}_safe"], [output]);
    }
}
