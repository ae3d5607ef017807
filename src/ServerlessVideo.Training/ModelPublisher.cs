using System.Globalization;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Evaluation;
using ServerlessVideo.Inference;
using ServerlessVideo.Media.SynthMotion;
using ServerlessVideo.Onnx;

namespace ServerlessVideo.Training;

/// <summary>
/// Writes a trained model to <c>models/&lt;id&gt;/</c>, measures it on the test split through ONNX Runtime exactly as
/// the pipeline would run it, and records the numbers in its manifest and in <c>models/README.md</c> — unless its
/// ONNX export differs from the TorchSharp network by more than <see cref="MaxParityDifference"/>.
/// </summary>
public static class ModelPublisher
{
    public const double MaxParityDifference = 1e-4;

    /// <summary>Publishes the model; false (and nothing written) when <c>metrics["onnxParityMaxAbsDiff"]</c> is over the bound.</summary>
    public static bool Publish(string modelsRoot, ModelManifest manifest, byte[] onnx, Dictionary<string, double> metrics, int testVideos)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(metrics);
        var parity = metrics["onnxParityMaxAbsDiff"];
        if (parity > MaxParityDifference)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{manifest.Id}: ONNX export differs from TorchSharp by {parity:E2} > {MaxParityDifference:E0}; nothing written."));
            return false;
        }

        var dir = Path.Combine(modelsRoot, manifest.Id);
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "model.onnx"), onnx);
        File.WriteAllText(Path.Combine(dir, "labels.txt"), string.Join('\n', SynthMotionClasses.Labels) + "\n");
        File.WriteAllText(Path.Combine(dir, ManifestLoader.ManifestFileName), ManifestWriter.ToJson(manifest));

        using var registry = new ModelRegistry(
            new InferenceOptions { ModelsPath = modelsRoot, IntraOpThreads = 1 },
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ModelRegistry>.Instance);
        var test = SynthMotionEvaluator.Evaluate(registry.Session(manifest.Id), SynthMotionSplit.Test, testVideos);
        metrics["testAccuracy"] = Math.Round(test.Accuracy, 4);
        metrics["testTemporalPairAccuracy"] = Math.Round(test.TemporalPairAccuracy, 4);
        metrics["testVideos"] = test.Count;
        metrics["cpuMsPerClip"] = Math.Round(test.MillisecondsPerClip, 2);
        var final = manifest with { Provenance = manifest.Provenance! with { Metrics = metrics } };
        File.WriteAllText(Path.Combine(dir, ManifestLoader.ManifestFileName), ManifestWriter.ToJson(final));
        ModelsReadme.Update(modelsRoot);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{manifest.Id}: test {test.Accuracy:P1} (temporal pairs {test.TemporalPairAccuracy:P1}), {test.MillisecondsPerClip:0.##} ms/clip"));
        return true;
    }

    /// <summary>Provenance shared by every built-in model; <paramref name="notes"/> says how this one was made.</summary>
    public static Provenance Provenance(string id, int trainClips, string notes) => new()
    {
        Source = string.Create(CultureInfo.InvariantCulture,
            $"./sv train {id} (TorchSharp {TorchSharp.torch.__version__}, CPU); SynthMotion train seeds 0..{trainClips - 1}, validation and test from their own seed ranges"),
        Licence = "MIT",
        Notes = notes + "; accuracy and CPU time measured through ONNX Runtime on the test split.",
    };
}
