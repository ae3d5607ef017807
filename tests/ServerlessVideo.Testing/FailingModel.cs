using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Onnx;

namespace ServerlessVideo.Testing;

/// <summary>
/// A model that loads and passes every check against its manifest but fails on every clip: its graph reshapes the
/// picks colour channels 0, 1 and 5 of three, which ONNX Runtime only refuses when it runs (the index is data).
/// </summary>
public static class FailingModel
{
    public const string Id = "fails-at-run";

    public static void WriteTo(string directory)
    {
        ColourMeanModel.WriteTo(directory, ColourMeanModel.Manifest() with { Id = Id, Name = "Fails on every clip" });
        var onnx = new OnnxGraphBuilder("fails_at_run", opset: 13)
            .Input("video", -1, 3, ColourMeanModel.ClipLength, ColourMeanModel.CropSize, ColourMeanModel.CropSize)
            .Int64s("channels", 0, 1, 5)
            .Node("ReduceMean", ["video"], ["mean_rgb"], ("axes", new long[] { 2, 3, 4 }), ("keepdims", 0L))
            .Node("Gather", ["mean_rgb", "channels"], ["logits"], ("axis", 1L))
            .Output("logits", -1, 3)
            .ToBytes("ServerlessVideo tests", "Loads, then fails on any input: channel 5 of 3.");
        File.WriteAllBytes(Path.Combine(directory, "model.onnx"), onnx);
    }
}
