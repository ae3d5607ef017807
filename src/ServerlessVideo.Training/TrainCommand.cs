using System.Diagnostics;
using System.Globalization;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Evaluation;
using ServerlessVideo.Inference;
using ServerlessVideo.Media.SynthMotion;
using ServerlessVideo.Onnx;
using ServerlessVideo.Training.Export;
using TorchSharp;
using static TorchSharp.torch;

namespace ServerlessVideo.Training;

/// <summary>
/// <c>sv-train &lt;model-id&gt; [models-dir]</c>: renders the splits, trains from a fixed seed, exports ONNX, checks
/// parity, measures test accuracy and CPU time through ONNX Runtime, and writes <c>models/&lt;id&gt;/</c> with provenance.
/// </summary>
public static class TrainCommand
{
    public static int Run(string id, string modelsRoot)
    {
        var recipe = Recipe.Get(id);
        var total = Stopwatch.StartNew();
        random.manual_seed(recipe.Seed);
        torch.set_num_threads(Math.Max(1, Environment.ProcessorCount));
        var classes = SynthMotionClasses.Labels.Count;
        Console.WriteLine($"{recipe.Id}: rendering SynthMotion train/validation splits …");
        var train = SynthMotionData.Render(SynthMotionSplit.Train, recipe.TrainPerClass, recipe.Sampling, recipe.Seed);
        var validation = SynthMotionData.Render(SynthMotionSplit.Validation, recipe.ValidationPerClass, recipe.Sampling, recipe.Seed + 1);
        var net = recipe.Create(classes);
        var valAccuracy = Trainer.Train(net, train, validation, recipe, Console.Out);
        net.eval();
        var trainMinutes = total.Elapsed.TotalMinutes;

        var dir = Path.Combine(modelsRoot, recipe.Id);
        Directory.CreateDirectory(dir);
        var onnx = OnnxExporter.Export(net, recipe.Sampling.ClipLength, Recipe.FrameSize, $"{recipe.Name}; trained on SynthMotion by sv-train {recipe.Id}");
        File.WriteAllBytes(Path.Combine(dir, "model.onnx"), onnx);
        File.WriteAllText(Path.Combine(dir, "labels.txt"), string.Join('\n', SynthMotionClasses.Labels) + "\n");
        var parameters = net.parameters().Sum(p => p.numel());
        var manifest = Manifest(recipe, new Dictionary<string, double>());
        File.WriteAllText(Path.Combine(dir, ManifestLoader.ManifestFileName), ManifestWriter.ToJson(manifest));

        var (parity, _) = Parity.Compare(net, Path.Combine(dir, "model.onnx"), recipe.Sampling.ClipLength, Recipe.FrameSize, recipe.Seed);
        using var registry = new ModelRegistry(new InferenceOptions { ModelsPath = modelsRoot, IntraOpThreads = 1 }, Microsoft.Extensions.Logging.Abstractions.NullLogger<ModelRegistry>.Instance);
        var test = SynthMotionEvaluator.Evaluate(registry.Session(recipe.Id), SynthMotionSplit.Test, recipe.TestPerClass * classes);
        var metrics = new Dictionary<string, double>
        {
            ["seed"] = recipe.Seed,
            ["epochs"] = recipe.Epochs,
            ["trainClips"] = train.Labels.Count,
            ["validationAccuracy"] = Math.Round(valAccuracy, 4),
            ["testAccuracy"] = Math.Round(test.Accuracy, 4),
            ["testTemporalPairAccuracy"] = Math.Round(test.TemporalPairAccuracy, 4),
            ["testVideos"] = test.Count,
            ["parameters"] = parameters,
            ["flopsPerClip"] = 2 * net.MacsPerClip(recipe.Sampling.ClipLength, Recipe.FrameSize),
            ["cpuMsPerClip"] = Math.Round(test.MillisecondsPerClip, 2),
            ["onnxParityMaxAbsDiff"] = parity,
            ["trainMinutes"] = Math.Round(trainMinutes, 1),
        };
        File.WriteAllText(Path.Combine(dir, ManifestLoader.ManifestFileName), ManifestWriter.ToJson(Manifest(recipe, metrics)));
        ModelsReadme.Update(modelsRoot);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{recipe.Id}: validation {valAccuracy:P1}, test {test.Accuracy:P1} (temporal pairs {test.TemporalPairAccuracy:P1}), parity {parity:E1}, {trainMinutes:0.0} min"));
        return parity <= 1e-4 ? 0 : 1;
    }

    private static ModelManifest Manifest(Recipe recipe, IReadOnlyDictionary<string, double> metrics) => new()
    {
        Schema = "../manifest.schema.json",
        Id = recipe.Id,
        Name = recipe.Name,
        Family = recipe.Family,
        Inputs = [new ModelInput(OnnxExporter.Input, "NTCHW")],
        Output = new ModelOutput(OnnxExporter.Output, "softmax"),
        Sampling = recipe.Sampling,
        Preprocessing = Recipe.Preprocessing,
        Provenance = new Provenance
        {
            Source = $"./sv train {recipe.Id} (TorchSharp {torch.__version__}, CPU); SynthMotion train seeds 0..{(recipe.TrainPerClass * 12) - 1}, validation and test from their own seed ranges",
            Licence = "MIT",
            Notes = "Trained from scratch on SynthMotion; accuracy and CPU time measured through ONNX Runtime on the test split.",
            Metrics = metrics.Count == 0 ? null : metrics,
        },
    };
}
