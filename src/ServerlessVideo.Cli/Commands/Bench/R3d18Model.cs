using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Onnx;

namespace ServerlessVideo.Cli.Commands.Bench;

/// <summary>
/// A graph shaped like torchvision's <c>r3d_18</c> (Kinetics-400 head, input [N, 3, 16, 112, 112], 33.4 M parameters,
/// about 40 GFLOPs per clip) written with the project's <see cref="OnnxGraphBuilder"/>, random He-scaled weights
/// and identity batch norms: the real size of a video model, to time ONNX Runtime where the work per clip is large.
/// Its labels mean nothing.
/// </summary>
internal static class R3d18Model
{
    public const string Id = "r3d-18-bench";
    public const int Classes = 400;
    public const int Frames = 16;
    public const int Crop = 112;

    /// <summary>Writes <c>model.onnx</c>, <c>labels.txt</c> and <c>manifest.json</c> into <paramref name="directory"/>.</summary>
    public static void WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, "model.onnx"), OnnxBytes());
        File.WriteAllLines(Path.Combine(directory, "labels.txt"), Enumerable.Range(0, Classes).Select(i => $"class-{i:000}"));
        File.WriteAllText(Path.Combine(directory, ManifestLoader.ManifestFileName), ManifestWriter.ToJson(Manifest()));
    }

    public static ModelManifest Manifest() => new()
    {
        Id = Id,
        Name = "r3d_18-shaped graph with random weights (bench only)",
        Family = "r2plus1d",
        Inputs = [new ModelInput("video", "NCTHW")],
        Output = new ModelOutput("logits", "softmax"),
        Sampling = new SamplingSpec(Frames, Fps: null, FrameInterval: 2, NumClips: 5),
        Preprocessing = new PreprocessingSpec(128, Crop, 255, [0.43216, 0.394666, 0.37645], [0.22803, 0.22145, 0.216989]),
        Provenance = new Provenance { Source = "ServerlessVideo bench: torchvision r3d_18 layer shapes, random weights", Licence = "MIT" },
    };

    private static byte[] OnnxBytes()
    {
        var graph = new Writer(new OnnxGraphBuilder("r3d_18_bench", opset: 13).Input("video", -1, 3, Frames, Crop, Crop), new Random(18));
        var x = graph.Relu(graph.ConvBn("video", 3, 64, [3, 7, 7], [1, 2, 2], [1, 3, 3]));
        var channels = 64;
        foreach (var (width, stride) in new (int, long)[] { (64, 1), (64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1) })
        {
            // torchvision BasicBlock with Conv3DSimple: conv-bn-relu, conv-bn, plus the (downsampled) input, relu.
            var y = graph.Relu(graph.ConvBn(x, channels, width, [3, 3, 3], [stride, stride, stride], [1, 1, 1]));
            y = graph.ConvBn(y, width, width, [3, 3, 3], [1, 1, 1], [1, 1, 1]);
            var shortcut = stride != 1 || channels != width ? graph.ConvBn(x, channels, width, [1, 1, 1], [stride, stride, stride], [0, 0, 0]) : x;
            x = graph.Relu(graph.Add(y, shortcut));
            channels = width;
        }

        return graph.Head(x, channels, Classes).ToBytes("ServerlessVideo bench", "r3d_18-shaped graph with random weights");
    }

    /// <summary>Names nodes and draws weights while the graph is written.</summary>
    private sealed class Writer(OnnxGraphBuilder builder, Random random)
    {
        private int _next;

        private string Fresh(string kind) => $"{kind}{_next++}";

        public string ConvBn(string input, int cin, int cout, long[] kernel, long[] strides, long[] pads)
        {
            var fanIn = cin * (int)(kernel[0] * kernel[1] * kernel[2]);
            var (w, conv, bn) = (Fresh("w"), Fresh("conv"), Fresh("bn"));
            builder.Initializer(w, He(cout * fanIn, fanIn), cout, cin, kernel[0], kernel[1], kernel[2]);
            builder.Node("Conv", [input, w], [conv], ("kernel_shape", kernel), ("strides", strides), ("pads", (long[])[.. pads, .. pads]));
            builder.Initializer(bn + "_scale", Filled(cout, 1), cout).Initializer(bn + "_bias", Filled(cout, 0), cout)
                .Initializer(bn + "_mean", Filled(cout, 0), cout).Initializer(bn + "_var", Filled(cout, 1), cout);
            builder.Node("BatchNormalization", [conv, bn + "_scale", bn + "_bias", bn + "_mean", bn + "_var"], [bn], ("epsilon", 1e-5f));
            return bn;
        }

        public string Relu(string input)
        {
            var name = Fresh("relu");
            builder.Node("Relu", [input], [name]);
            return name;
        }

        public string Add(string a, string b)
        {
            var name = Fresh("add");
            builder.Node("Add", [a, b], [name]);
            return name;
        }

        public OnnxGraphBuilder Head(string input, int channels, int classes)
        {
            builder.Node("GlobalAveragePool", [input], ["pooled"]);
            builder.Node("Flatten", ["pooled"], ["features"], ("axis", 1L));
            builder.Initializer("fc_w", He(classes * channels, channels), classes, channels).Initializer("fc_b", Filled(classes, 0), classes);
            builder.Node("Gemm", ["features", "fc_w", "fc_b"], ["logits"], ("transB", 1L));
            return builder.Output("logits", -1, classes);
        }

        private float[] He(int count, int fanIn)
        {
            var bound = (float)Math.Sqrt(6.0 / fanIn);
            var values = new float[count];
            for (var i = 0; i < count; i++)
            {
                values[i] = ((float)random.NextDouble() * 2 - 1) * bound;
            }

            return values;
        }

        private static float[] Filled(int count, float value) => Enumerable.Repeat(value, count).ToArray();
    }
}
