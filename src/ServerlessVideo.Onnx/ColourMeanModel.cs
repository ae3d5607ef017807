using System.Text.Json;
using ServerlessVideo.Core.Manifests;

namespace ServerlessVideo.Onnx;

/// <summary>
/// The built-in baseline: classifies a clip by its dominant colour. It averages the normalised RGB clip over time and
/// space (ReduceMean), then scores each colour as its channel minus the mean of the other two, scaled (MatMul + Add).
/// Its answer is known in advance for any input, which is what the end-to-end tests need, and it exercises the whole
/// NCTHW path of the pipeline the same way a 3D CNN does.
/// </summary>
public static class ColourMeanModel
{
    public const string Id = "colour-mean";

    public static readonly IReadOnlyList<string> Labels = ["red", "green", "blue"];

    public const int ClipLength = 8;
    public const int CropSize = 32;

    /// <summary>Logit gain: a saturated colour scores 10 against −5 for the others.</summary>
    private const float Gain = 10f;

    public static byte[] OnnxBytes()
    {
        // logits[n, k] = Σ_c mean[n, c] · W[c, k] with W[c, k] = Gain if c == k else −Gain/2.
        var w = new float[9];
        for (var c = 0; c < 3; c++)
        {
            for (var k = 0; k < 3; k++)
            {
                w[(c * 3) + k] = c == k ? Gain : -Gain / 2;
            }
        }

        return new OnnxGraphBuilder("colour_mean", opset: 13)
            .Input("video", -1, 3, ClipLength, CropSize, CropSize)
            .Initializer("W", w, 3, 3)
            .Initializer("b", [0f, 0f, 0f], 3)
            .Node("ReduceMean", ["video"], ["mean_rgb"], ("axes", new long[] { 2, 3, 4 }), ("keepdims", 0L))
            .Node("MatMul", ["mean_rgb", "W"], ["scores"])
            .Node("Add", ["scores", "b"], ["logits"])
            .Output("logits", -1, 3)
            .ToBytes("ServerlessVideo", "Dominant-colour baseline: mean RGB over the clip, linear colour scores.");
    }

    public static ModelManifest Manifest() => new()
    {
        Schema = "../manifest.schema.json",
        Id = Id,
        Name = "Dominant colour (mean RGB baseline)",
        Family = "baseline",
        Inputs = [new ModelInput("video", "NCTHW")],
        Output = new ModelOutput("logits", "softmax"),
        Sampling = new SamplingSpec(ClipLength, Fps: 4, FrameInterval: null, NumClips: 3),
        Preprocessing = new PreprocessingSpec(ResizeShortSide: 36, CropSize: CropSize, PixelScale: 255, Mean: [0, 0, 0], Std: [1, 1, 1]),
        Provenance = new Provenance
        {
            Source = "Written, not trained: dotnet run --project src/ServerlessVideo.Host -- write-baseline models/colour-mean (ServerlessVideo.Onnx.ColourMeanModel).",
            Licence = "MIT",
            Notes = "A known-answer model for tests and the demo: a clip whose mean colour is saturated red, green or blue gets that label.",
        },
    };

    /// <summary>
    /// Writes <c>model.onnx</c>, <c>labels.txt</c> and <c>manifest.json</c> into <paramref name="directory"/>: the
    /// baseline's manifest, or <paramref name="manifest"/> (a variant of it) when given.
    /// </summary>
    public static void WriteTo(string directory, ModelManifest? manifest = null)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, "model.onnx"), OnnxBytes());
        File.WriteAllText(Path.Combine(directory, "labels.txt"), string.Join('\n', Labels) + "\n");
        File.WriteAllText(Path.Combine(directory, ManifestLoader.ManifestFileName), ManifestWriter.ToJson(manifest ?? Manifest()));
    }
}
