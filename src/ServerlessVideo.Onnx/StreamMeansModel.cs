using ServerlessVideo.Core.Manifests;

namespace ServerlessVideo.Onnx;

/// <summary>
/// A known-answer model with two inputs and late fusion, for tests of the multi-input path: <c>slow</c> takes every
/// second RGB frame (NCTHW) and <c>flow</c> the clip's optical flow (NTCHW); output <c>rgb_means</c> is the mean of
/// each normalised RGB channel, <c>flow_means</c> the mean normalised x and y flow (and 0); activation <c>none</c>;
/// fusion weights 1 and 3. Every number it returns can be computed by hand from the input.
/// </summary>
public static class StreamMeansModel
{
    public const string Id = "stream-means";

    public static readonly IReadOnlyList<string> Labels = ["c0", "c1", "c2"];

    public const int ClipLength = 4;
    public const int FrameStride = 2;
    public const int CropSize = 32;
    public const double RgbWeight = 1;
    public const double FlowWeight = 3;

    public static readonly FlowSpec Flow = new("farneback", 4);

    public static byte[] OnnxBytes() =>
        new OnnxGraphBuilder("stream_means", opset: 13)
            .Input("slow", -1, 3, ((ClipLength - 1) / FrameStride) + 1, CropSize, CropSize)
            .Input("flow", -1, ClipLength - 1, 2, CropSize, CropSize)
            .Initializer("pad", [1f, 0f, 0f, 0f, 1f, 0f], 2, 3)
            .Node("ReduceMean", ["slow"], ["rgb_means"], ("axes", new long[] { 2, 3, 4 }), ("keepdims", 0L))
            .Node("ReduceMean", ["flow"], ["flow_xy"], ("axes", new long[] { 1, 3, 4 }), ("keepdims", 0L))
            .Node("MatMul", ["flow_xy", "pad"], ["flow_means"])
            .Output("rgb_means", -1, 3)
            .Output("flow_means", -1, 3)
            .ToBytes("ServerlessVideo", "Test probe: channel means of the slow RGB frames and of the flow, fused 1:3.");

    public static ModelManifest Manifest() => new()
    {
        Schema = "../manifest.schema.json",
        Id = Id,
        Name = "Stream means (multi-input test probe)",
        Family = "other",
        Inputs =
        [
            new ModelInput("slow", "NCTHW") { FrameStride = FrameStride },
            new ModelInput("flow", "NTCHW", ModelInput.FlowStream) { Flow = Flow, Mean = [0.5, 0.5], Std = [0.5, 0.5] },
        ],
        Output = new ModelOutput(null, "none") { Fusion = [new("rgb_means", RgbWeight), new("flow_means", FlowWeight)] },
        Sampling = new SamplingSpec(ClipLength, Fps: 4, FrameInterval: null, NumClips: 2),
        Preprocessing = new PreprocessingSpec(ResizeShortSide: 36, CropSize: CropSize, PixelScale: 255, Mean: [0, 0, 0], Std: [1, 1, 1]),
        Provenance = new Provenance
        {
            Source = "Written, not trained: ServerlessVideo.Onnx.StreamMeansModel.",
            Licence = "MIT",
            Notes = "Test probe for frame strides, flow inputs and late fusion; not a classifier.",
        },
    };

    /// <summary>Writes <c>model.onnx</c>, <c>labels.txt</c> and <c>manifest.json</c> into <paramref name="directory"/>.</summary>
    public static void WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, "model.onnx"), OnnxBytes());
        File.WriteAllText(Path.Combine(directory, "labels.txt"), string.Join('\n', Labels) + "\n");
        File.WriteAllText(Path.Combine(directory, ManifestLoader.ManifestFileName), ManifestWriter.ToJson(Manifest()));
    }
}
