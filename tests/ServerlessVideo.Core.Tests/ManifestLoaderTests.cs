using System.Text.Json.Nodes;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Onnx;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Core.Tests;

public sealed class ManifestLoaderTests
{
    private static JsonObject ValidManifest() => JsonNode.Parse(ManifestWriter.ToJson(ColourMeanModel.Manifest()))!.AsObject();

    [Theory]
    [InlineData("family", "\"Transformer ish\"", "/family")]
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
    public void Not_json_is_a_clear_error() =>
        Assert.Contains("not valid JSON", Assert.Throws<ManifestException>(() => ManifestLoader.Parse("{ nope", "m.json")).Message);

    [Fact]
    public void Core_reads_no_files()
    {
        // Core is pure: manifests arrive as text; reading models folders is ServerlessVideo.Inference's ModelFolders.
        var io = new System.Text.RegularExpressions.Regex(@"\b(File|Directory|FileStream|FileInfo|DirectoryInfo)\b\s*[.(]");
        var offenders = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src", "ServerlessVideo.Core"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj", StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}bin", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => !x.line.TrimStart().StartsWith("//", StringComparison.Ordinal) && io.IsMatch(x.line))
            .Select(x => $"{Path.GetFileName(x.f)}:{x.i + 1}: {x.line.Trim()}")
            .ToList();
        Assert.Empty(offenders);
    }
}
