using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
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
    public void Manifests_that_disagree_with_the_graph_fail_at_load_with_a_clear_error(string field, string json, string expected)
    {
        var root = ModelsWithBaseline(m => m[field] = JsonNode.Parse(json));
        using var registry = new ModelRegistry(new InferenceOptions { ModelsPath = root }, NullLogger<ModelRegistry>.Instance);
        var ex = Assert.Throws<ManifestException>(registry.WarmUp);
        Assert.Contains(expected, ex.Message);
        Assert.Contains("manifest.json", ex.Message);
    }

    [Fact]
    public void A_label_count_that_disagrees_with_the_output_fails_at_load()
    {
        var root = ModelsWithBaseline();
        File.WriteAllText(Path.Combine(root, ColourMeanModel.Id, "labels.txt"), "red\ngreen\nblue\npurple\n");
        using var registry = new ModelRegistry(new InferenceOptions { ModelsPath = root }, NullLogger<ModelRegistry>.Instance);
        Assert.Contains("has 3 classes but 'labels.txt' lists 4", Assert.Throws<ManifestException>(registry.WarmUp).Message);
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
