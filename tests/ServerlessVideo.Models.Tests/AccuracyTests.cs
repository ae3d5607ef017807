using Microsoft.Extensions.Logging.Abstractions;
using ServerlessVideo.Evaluation;
using ServerlessVideo.Inference;
using ServerlessVideo.Media.SynthMotion;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Models.Tests;

/// <summary>
/// Every committed model still does what its manifest says, on SynthMotion videos from seeds no split has used,
/// through ONNX Runtime only. The tolerance is three standard errors of the difference of two accuracies measured on
/// independent samples (the manifest's test split and this fresh one), so a real regression fails and sampling noise does not.
/// </summary>
public sealed class AccuracyTests
{
    private const int FreshPerClass = 20;

    [Fact]
    public void There_is_a_trained_model_of_every_family_and_every_timesformer_attention_scheme()
    {
        Assert.Equal(
            ["c3d", "cnn-lstm", "i3d", "netvlad", "r2plus1d", "slowfast", "timesformer", "tsn", "two-stream", "video-swin"],
            TrainedModels.All.Select(m => m.Manifest.Family).Distinct().Order());
        Assert.Equal(
            ["axial", "divided", "joint", "local-global", "space"],
            TrainedModels.All.Where(m => m.Manifest.Family == "timesformer").Select(m => m.Manifest.Architecture!["attention"].GetString()).Order());
    }

    /// <summary>The attention-scheme table compares attention alone: same block, width, depth, data and epochs.</summary>
    [Fact]
    public void The_timesformers_differ_in_their_attention_scheme_alone()
    {
        var timeSformers = TrainedModels.All.Where(m => m.Manifest.Family == "timesformer").Select(m => m.Manifest).ToList();
        static string Block(Core.Manifests.ModelManifest m) =>
            string.Join("; ", m.Architecture!.Where(p => p.Key != "attention").OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        static string Budget(Core.Manifests.ModelManifest m) =>
            string.Join("; ", new[] { "seed", "epochs", "trainClips" }.Select(k => $"{k}={m.Provenance!.Metrics![k]}"));

        Assert.Equal(5, timeSformers.Count);
        Assert.Single(timeSformers.Select(Block).Distinct());
        Assert.Single(timeSformers.Select(Budget).Distinct());
        Assert.Single(timeSformers.Select(m => System.Text.Json.JsonSerializer.Serialize(m.Sampling)).Distinct());
    }

    [Theory]
    [MemberData(nameof(TrainedModels.Ids), MemberType = typeof(TrainedModels))]
    public void Reaches_its_stated_accuracy_on_a_fresh_test_split(string id)
    {
        using var registry = new ModelRegistry(new InferenceOptions { ModelsPath = RepoPaths.Models }, NullLogger<ModelRegistry>.Instance);
        var metrics = registry.Get(id).Manifest.Provenance!.Metrics!;
        var n = FreshPerClass * SynthMotionClasses.Labels.Count;
        var fresh = SynthMotionEvaluator.Evaluate(registry.Session(id), SynthMotionSplit.Fresh, n);

        AssertWithin(metrics["testAccuracy"], metrics["testVideos"], fresh.Accuracy, n, "overall");
        AssertWithin(metrics["testTemporalPairAccuracy"], metrics["testVideos"] * 8 / 12, fresh.TemporalPairAccuracy, n * 8 / 12, "temporal pairs");
    }

    private static void AssertWithin(double stated, double statedN, double measured, double measuredN, string what)
    {
        var p = Math.Clamp(stated, 0.02, 0.98);
        var tolerance = 3 * Math.Sqrt((p * (1 - p) / statedN) + (p * (1 - p) / measuredN));
        Assert.True(measured >= stated - tolerance,
            $"{what}: measured {measured:P1} on a fresh split, manifest states {stated:P1} (tolerance {tolerance:P1})");
    }
}
