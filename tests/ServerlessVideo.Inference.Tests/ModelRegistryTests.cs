using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessVideo.Core;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Core.Tensors;
using ServerlessVideo.Onnx;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Inference.Tests;

public sealed class ModelRegistryTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string ModelsWithBaseline(Action<JsonObject>? editManifest = null)
    {
        var dir = Path.Combine(_temp.Path, ColourMeanModel.Id);
        ColourMeanModel.WriteTo(dir);
        if (editManifest is not null)
        {
            ManifestFile.Edit(dir, editManifest);
        }

        return _temp.Path;
    }

    private static ClipTensor Solid(byte r, byte g, byte b, int frames = ColourMeanModel.ClipLength, int size = ColourMeanModel.CropSize)
    {
        var data = new byte[frames * size * size * 3];
        for (var i = 0; i < data.Length; i += 3)
        {
            (data[i], data[i + 1], data[i + 2]) = (r, g, b);
        }

        return new ClipTensor(frames, size, size, data);
    }

    [Fact]
    public void The_baseline_labels_solid_clips_by_colour_with_a_batch_of_clips()
    {
        using var registry = new ModelRegistry(new InferenceOptions { ModelsPath = ModelsWithBaseline() }, NullLogger<ModelRegistry>.Instance);
        var session = registry.Session(ColourMeanModel.Id);
        var probs = session.Run([Solid(220, 30, 30), Solid(20, 200, 40), Solid(10, 20, 250)]);
        Assert.Equal([0, 1, 2], probs.Select(p => Array.IndexOf(p, p.Max())));
        Assert.All(probs, p => Assert.Equal(1f, p.Sum(), 4));
        Assert.Equal(ExecutionProviders.Cpu, session.Provider);
        Assert.Same(session, registry.Session(ColourMeanModel.Id));
    }

    [Fact]
    public void Matches_the_softmax_of_the_closed_form_scores()
    {
        using var registry = new ModelRegistry(new InferenceOptions { ModelsPath = ModelsWithBaseline() }, NullLogger<ModelRegistry>.Instance);
        var p = registry.Session(ColourMeanModel.Id).Run([Solid(255, 128, 0)])[0];
        // mean = (1, 0.502, 0): scores 10·c − 5·(others) = (7.49, −0.0196, −7.51).
        double[] s = [10 - (5 * 0.50196), (10 * 0.50196) - 5, -5 - (5 * 0.50196)];
        var e = s.Select(Math.Exp).ToArray();
        for (var k = 0; k < 3; k++)
        {
            Assert.Equal(e[k] / e.Sum(), p[k], 4);
        }
    }

    [Fact]
    public void Cuda_requested_without_a_gpu_falls_back_to_cpu_and_says_so()
    {
        var logs = new ListLogger();
        using var registry = new ModelRegistry(new InferenceOptions { ModelsPath = ModelsWithBaseline(), ExecutionProvider = "cuda" }, logs);
        var session = registry.Session(ColourMeanModel.Id);
        Assert.Equal(ExecutionProviders.Cpu, session.Provider);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("falling back to CPU", StringComparison.Ordinal));
        Assert.Equal(0, Array.IndexOf(session.Run([Solid(250, 0, 0)])[0], session.Run([Solid(250, 0, 0)])[0].Max()));
    }

    [Theory]
    [InlineData("inputs", "[{\"name\": \"frames\", \"layout\": \"NCTHW\"}]", "input 'frames' is not in the ONNX graph")]
    [InlineData("inputs", "[{\"name\": \"video\", \"layout\": \"NCHW\"}]", "needs a rank-4 input")]
    [InlineData("sampling", "{\"clipLength\": 16, \"fps\": 4, \"numClips\": 1}", "dimension 2 is 8")]
    [InlineData("output", "{\"name\": \"probs\", \"activation\": \"softmax\"}", "output 'probs' is not in the ONNX graph")]
    public void Manifests_that_disagree_with_the_graph_make_the_model_unavailable_with_a_clear_error(string field, string json, string expected)
    {
        var root = ModelsWithBaseline(m => m[field] = JsonNode.Parse(json));
        using var registry = new ModelRegistry(new InferenceOptions { ModelsPath = root }, NullLogger<ModelRegistry>.Instance);
        registry.WarmUp();
        Assert.Empty(registry.Available);
        var unavailable = Assert.Single(registry.Unavailable);
        Assert.Equal(ColourMeanModel.Id, unavailable.Id);
        Assert.Equal(ReasonCodes.ModelUnavailable, unavailable.ReasonCode);
        Assert.Contains(expected, unavailable.Message);
        Assert.Contains("manifest.json", unavailable.Message);
        Assert.Equal(unavailable.Message, Assert.Throws<ManifestException>(() => registry.Session(ColourMeanModel.Id)).Message);
    }

    [Fact]
    public void A_label_count_that_disagrees_with_the_output_makes_the_model_unavailable()
    {
        var root = ModelsWithBaseline();
        File.WriteAllText(Path.Combine(root, ColourMeanModel.Id, "labels.txt"), "red\ngreen\nblue\npurple\n");
        using var registry = new ModelRegistry(new InferenceOptions { ModelsPath = root }, NullLogger<ModelRegistry>.Instance);
        Assert.Contains("has 3 classes but 'labels.txt' lists 4", Assert.Single(registry.Unavailable).Message);
    }

    [Fact]
    public void A_truncated_model_onnx_is_unavailable_with_the_protobuf_error_and_the_others_load()
    {
        // Copies of built-in models; the copy of c3d loses two thirds of its bytes, as after an interrupted download.
        ModelCopies.Copy("tsn-synthmotion", _temp.Path);
        ModelCopies.Copy("netvlad-synthmotion", _temp.Path);
        ModelCopies.CopyTruncated("c3d-synthmotion", _temp.Path);
        var logs = new ListLogger();
        using var registry = new ModelRegistry(new InferenceOptions { ModelsPath = _temp.Path }, logs);

        registry.WarmUp();

        Assert.Equal(["c3d-synthmotion", "netvlad-synthmotion", "tsn-synthmotion"], registry.Models.Select(m => m.Id));
        Assert.Equal(["netvlad-synthmotion", "tsn-synthmotion"], registry.Available.Select(m => m.Id));
        var bad = Assert.Single(registry.Unavailable);
        Assert.Equal("c3d-synthmotion", bad.Id);
        Assert.Equal(ReasonCodes.ModelUnavailable, bad.ReasonCode);
        Assert.Contains("InvalidProtobuf", bad.Message);
        Assert.Contains("Protobuf parsing failed", bad.Message);
        Assert.Contains(Path.Combine("c3d-synthmotion", "model.onnx"), bad.Message);
        Assert.Equal(ExecutionProviders.Cpu, registry.Session("tsn-synthmotion").Provider);
        Assert.Throws<Microsoft.ML.OnnxRuntime.OnnxRuntimeException>(() => registry.Session("c3d-synthmotion"));

        // Logged once at Error however often the registry is asked.
        registry.WarmUp();
        _ = registry.Unavailable;
        Assert.Single(logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains("Model c3d-synthmotion is unavailable", logs.Entries.Single(e => e.Level == LogLevel.Error).Message);
    }

    [Fact]
    public void A_manifest_that_cannot_be_read_makes_only_its_model_unavailable()
    {
        var root = ModelsWithBaseline();
        var broken = Path.Combine(root, "broken");
        Directory.CreateDirectory(broken);
        File.WriteAllText(Path.Combine(broken, ManifestLoader.ManifestFileName), "{ \"id\": \"broken\", ");
        using var registry = new ModelRegistry(new InferenceOptions { ModelsPath = root }, NullLogger<ModelRegistry>.Instance);

        Assert.Equal([ColourMeanModel.Id], registry.Available.Select(m => m.Id));
        var bad = Assert.Single(registry.Unavailable);
        Assert.Equal("broken", bad.Id);
        Assert.Contains("not valid JSON", bad.Message);
        Assert.Throws<ManifestException>(() => registry.Session("broken"));
    }

    [Fact]
    public void A_missing_models_folder_is_reported_not_thrown()
    {
        using var registry = new ModelRegistry(new InferenceOptions { ModelsPath = Path.Combine(_temp.Path, "nowhere") }, NullLogger<ModelRegistry>.Instance);
        registry.WarmUp();
        Assert.Empty(registry.Available);
        Assert.Empty(registry.Unavailable);
        Assert.Contains("does not exist", registry.LoadError);
    }

    private sealed class ListLogger : ILogger<ModelRegistry>
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
