using System.Text.Json.Nodes;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Onnx;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Core.Tests;

public sealed class ManifestLoaderTests
{
    private static JsonObject ValidManifest() => JsonNode.Parse(ManifestWriter.ToJson(ColourMeanModel.Manifest()))!.AsObject();

    [Fact]
    public void Every_committed_manifest_loads_and_is_small()
    {
        var models = ManifestLoader.LoadAll(RepoPaths.Models);
        Assert.NotEmpty(models);
        Assert.All(models, m => Assert.InRange(new FileInfo(m.ModelPath).Length, 1, 8 * 1024 * 1024));
    }

    [Fact]
    public void The_baseline_writer_is_deterministic_and_its_manifest_loads()
    {
        using var temp = new TempFolder();
        var dir = Path.Combine(temp.Path, ColourMeanModel.Id);
        ColourMeanModel.WriteTo(dir);
        Assert.Equal(ColourMeanModel.OnnxBytes(), File.ReadAllBytes(Path.Combine(dir, "model.onnx")));
        Assert.Equal(ColourMeanModel.Labels, ManifestLoader.Load(dir).Labels);
    }

    [Theory]
    [InlineData("family", "\"transformer-ish\"", "/family")]
    [InlineData("sampling", "{\"clipLength\": 0, \"fps\": 4, \"numClips\": 1}", "/sampling/clipLength")]
    [InlineData("preprocessing", "{\"resizeShortSide\": 36, \"cropSize\": 32, \"pixelScale\": 255, \"mean\": [0,0], \"std\": [1,1,1]}", "/preprocessing/mean")]
    [InlineData("unknownField", "1", "unknownField")]
    [InlineData("id", "\"Has Spaces\"", "/id")]
    public void Schema_violations_name_the_field(string field, string json, string expectedInMessage)
    {
        var manifest = ValidManifest();
        manifest[field] = JsonNode.Parse(json);
        var ex = Assert.Throws<ManifestException>(() => ManifestLoader.Parse(manifest.ToJsonString(), "m.json"));
        Assert.Contains("m.json", ex.Message);
        Assert.Contains(expectedInMessage, ex.Message);
    }

    [Fact]
    public void Sampling_needs_exactly_one_of_fps_and_frame_interval()
    {
        var manifest = ValidManifest();
        manifest["sampling"]!["frameInterval"] = 2;
        var ex = Assert.Throws<ManifestException>(() => ManifestLoader.Parse(manifest.ToJsonString(), "m.json"));
        Assert.Contains("exactly one of 'fps' and 'frameInterval'", ex.Message);
    }

    [Fact]
    public void Crop_larger_than_resize_is_refused()
    {
        var manifest = ValidManifest();
        manifest["preprocessing"]!["cropSize"] = 64;
        Assert.Throws<ManifestException>(() => ManifestLoader.Parse(manifest.ToJsonString(), "m.json"));
    }

    [Fact]
    public void Folder_name_must_equal_id_and_labels_must_exist()
    {
        using var temp = new TempFolder();
        var dir = Path.Combine(temp.Path, "renamed");
        ColourMeanModel.WriteTo(dir);
        Assert.Contains("must equal its folder name", Assert.Throws<ManifestException>(() => ManifestLoader.Load(dir)).Message);

        var good = Path.Combine(temp.Path, ColourMeanModel.Id);
        ColourMeanModel.WriteTo(good);
        File.Delete(Path.Combine(good, "labels.txt"));
        Assert.Contains("labels file", Assert.Throws<ManifestException>(() => ManifestLoader.Load(good)).Message);
    }

    [Fact]
    public void Not_json_is_a_clear_error() =>
        Assert.Contains("not valid JSON", Assert.Throws<ManifestException>(() => ManifestLoader.Parse("{ nope", "m.json")).Message);
}
