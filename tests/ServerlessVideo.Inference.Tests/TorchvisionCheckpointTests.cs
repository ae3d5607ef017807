using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessVideo.Core;
using ServerlessVideo.Core.Tensors;
using ServerlessVideo.Testing;
using Xunit.Abstractions;

namespace ServerlessVideo.Inference.Tests;

/// <summary>
/// A user's torchvision export added with <c>sv models add</c>'s code from the preset, then run as a worker runs it,
/// against torch's own answer: reduced-width r3d_18, mc3_18 and r2plus1d_18 (torchvision's own classes, random weights;
/// Data/torchvision/make_models.py) and one clip through torchvision's R3D_18 preset (golden.json.gz). The clip
/// tensor's preprocessing is checked byte for byte elsewhere (PresetGoldenTests); here, export, manifest, layout,
/// normalisation and ONNX Runtime against torch.
/// </summary>
public sealed class TorchvisionCheckpointTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string Folder = Path.Combine(RepoPaths.Root, "tests", "ServerlessVideo.Inference.Tests", "Data", "torchvision");
    private static readonly Lazy<JsonElement> Golden = new(() => GoldenFiles.ReadJsonGz("ServerlessVideo.Inference.Tests", "Data", "torchvision", "golden.json.gz"));

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("r3d_18")]
    [InlineData("mc3_18")]
    [InlineData("r2plus1d_18")]
    public void An_export_added_from_its_preset_gives_torchs_probabilities(string name)
    {
        var root = Golden.Value;
        var options = new InferenceOptions { ModelsPath = _temp.Path };
        var preset = ModelPresets.Load(RepoPaths.Models, $"torchvision/{name}");

        var added = ModelInstaller.Add(_temp.Path, RepoPaths.Models, Path.Combine(Folder, $"{name}-w8.onnx"), preset, id: null, labels: null, replace: false, options);

        var model = added.Model;
        Assert.Equal($"{name.Replace('_', '-')}-kinetics-400", model.Id);
        Assert.Equal("kinetics-400", model.LabelSpace);
        Assert.Equal(400, model.Labels.Count);
        Assert.Equal("abseiling", model.Labels[0]);
        Assert.Equal((128, 171, 112), (model.Manifest.Preprocessing.Resize!.Height, model.Manifest.Preprocessing.Resize.Width, model.Manifest.Preprocessing.CropSize));
        Assert.Equal("CPUExecutionProvider", added.Provider);

        using var registry = new ModelRegistry(options, NullLogger<ModelRegistry>.Instance);
        var size = root.GetProperty("size").GetInt32();
        var clip = new ClipTensor(root.GetProperty("frames").GetInt32(), size, size, Convert.FromBase64String(root.GetProperty("clip").GetString()!));
        var actual = registry.Session(model.Id).Run([clip])[0];
        var expected = root.GetProperty("probabilities").GetProperty(name).EnumerateArray().Select(e => e.GetSingle()).ToArray();

        var max = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        output.WriteLine($"{name}: top-1 {Array.IndexOf(expected, expected.Max())} ({expected.Max():0.0000}), max |Δp| {max:E2}");
        Assert.Equal(expected.Length, actual.Length);
        Assert.Equal(Array.IndexOf(expected, expected.Max()), Array.IndexOf(actual, actual.Max()));
        Assert.True(max <= 1e-4, $"{name}: max |Δp| {max:E2}");
    }

    /// <summary>
    /// A four-block MViT (torchvision's own class with mvit_v2_s's switches; 16 × 224² in) and an S3D with channels ÷ 8
    /// (128 × 224² in), each added from its preset. The clip is the committed video through the preset's geometry here
    /// (the frame source, byte-identical to torchvision's preprocessing in PresetGoldenTests), its 10 frames padded with
    /// the last to the clip's length, as the generator pads.
    /// </summary>
    [Theory]
    [InlineData("mvit_v2_s", "mvit_v2_s-tiny.onnx")]
    [InlineData("s3d", "s3d-w8.onnx")]
    public async Task An_export_added_from_its_preset_gives_torchs_probabilities_on_the_pipelines_clip(string name, string file)
    {
        var options = new InferenceOptions { ModelsPath = _temp.Path };
        var preset = ModelPresets.Load(RepoPaths.Models, $"torchvision/{name}");
        var added = ModelInstaller.Add(_temp.Path, RepoPaths.Models, Path.Combine(Folder, file), preset, id: null, labels: null, replace: false, options);
        var manifest = added.Model.Manifest;

        var media = new Media.MediaOptions();
        var frames = new Media.FrameSource(media, new Media.VideoProber(media, NullLogger<Media.VideoProber>.Instance), NullLogger<Media.FrameSource>.Instance);
        var view = new Core.Planning.FrameView(10, 0, manifest.Preprocessing.CropSize, manifest.Sampling.ClipLength) { Resize = manifest.Preprocessing.Resize };
        var clip = await frames.ExtractAsync(
            Path.Combine(RepoPaths.Root, "tests", "ServerlessVideo.Media.Tests", "Data", "presets", "clip.mp4"), view, new Core.Planning.ClipSpan(0, 0), CancellationToken.None);

        using var registry = new ModelRegistry(options, NullLogger<ModelRegistry>.Instance);
        var actual = registry.Session(added.Model.Id).Run([clip])[0];
        var expected = Golden.Value.GetProperty("probabilities").GetProperty(name).EnumerateArray().Select(e => e.GetSingle()).ToArray();
        var max = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        output.WriteLine($"{name}: top-1 {Array.IndexOf(expected, expected.Max())} ({expected.Max():0.0000}), max |Δp| {max:E2}");
        Assert.Equal(Array.IndexOf(expected, expected.Max()), Array.IndexOf(actual, actual.Max()));
        Assert.True(max <= 1e-4, $"{name}: max |Δp| {max:E2}");
    }

    [Fact]
    public void An_export_the_preset_does_not_describe_is_refused_and_nothing_is_left()
    {
        // r3d_18's graph takes NCTHW 16×112×112; the VideoMAE preset says NTCHW 'pixel_values' at 224.
        var preset = ModelPresets.Load(RepoPaths.Models, "huggingface/videomae-base-kinetics");
        var ex = Assert.Throws<Core.Manifests.ManifestException>(() => ModelInstaller.Add(
            _temp.Path, RepoPaths.Models, Path.Combine(Folder, "r3d_18-w8.onnx"), preset, "mismatch", null, false, new InferenceOptions { ModelsPath = _temp.Path }));
        output.WriteLine(ex.Message);
        Assert.Contains("pixel_values", ex.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.Path));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("Upper")]
    [InlineData("")]
    public void An_id_that_is_not_a_plain_name_is_refused_before_anything_is_written(string id)
    {
        var preset = ModelPresets.Load(RepoPaths.Models, "torchvision/r3d_18");
        var ex = Assert.Throws<Core.Manifests.ManifestException>(() => ModelInstaller.Add(
            _temp.Path, RepoPaths.Models, Path.Combine(Folder, "r3d_18-w8.onnx"), preset, id, null, false, new InferenceOptions { ModelsPath = _temp.Path }));
        Assert.Contains("lower-case letters", ex.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.Path));
    }

    [Fact]
    public void An_unknown_preset_lists_the_ones_there_are()
    {
        var ex = Assert.Throws<Core.Manifests.ManifestException>(() => ModelPresets.Load(RepoPaths.Models, "torchvision/r3d_50"));
        Assert.Contains("torchvision/r3d_18", ex.Message);
        Assert.Contains("huggingface/videomae-base-kinetics", ex.Message);
    }

    [Fact]
    public void Every_preset_makes_a_valid_manifest()
    {
        var presets = ModelPresets.List(RepoPaths.Models);
        Assert.True(presets.Count >= 11, $"{presets.Count} presets");
        foreach (var preset in presets)
        {
            var manifest = preset.Manifest.DeepClone().AsObject();
            manifest["id"] = "x";
            var parsed = Core.Manifests.ManifestLoader.Parse(manifest.ToJsonString(), preset.Name);
            Assert.NotNull(parsed.Preprocessing.Resize);
            Assert.NotNull(ModelPresets.LabelsFile(RepoPaths.Models, parsed.LabelSpace!));
        }
    }

    [Theory]
    [InlineData("kinetics-400", 400, "abseiling", "zumba")]
    [InlineData("kinetics-600", 600, "abseiling", "zumba")]
    [InlineData("kinetics-700", 700, "abseiling", "zumba")]
    [InlineData("something-something-v2", 174, "Approaching something with your camera", "Wiping something off of something")]
    [InlineData("ucf101", 101, "ApplyEyeMakeup", "YoYo")]
    [InlineData("hmdb51", 51, "brush_hair", "wave")]
    public void Each_shipped_label_map_has_its_classes_once_in_order(string space, int count, string first, string last)
    {
        var labels = File.ReadAllLines(ModelPresets.LabelsFile(RepoPaths.Models, space)!);
        Assert.Equal(count, labels.Length);
        Assert.Equal(count, labels.Distinct(StringComparer.Ordinal).Count());
        Assert.All(labels, l => Assert.Equal(l.Trim(), l));
        Assert.Equal((first, last), (labels[0], labels[^1]));
        Assert.Contains(space, ModelPresets.LabelSpaces(RepoPaths.Models));
    }
}
