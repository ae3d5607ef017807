using System.Diagnostics;
using System.Globalization;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Media.SynthMotion;
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
    public static int Run(string id, string modelsRoot, int? epochs = null, int? threads = null, int? perClass = null, int? warmup = null, double? learningRate = null, bool scratch = false, TransformerVariant? variant = null, double? stretch = null, int? seed = null)
    {
        torch.set_num_threads(threads ?? Math.Max(1, Environment.ProcessorCount));
        var recipe = Recipe.Get(id);
        recipe = recipe with { Epochs = epochs ?? recipe.Epochs, TrainPerClass = perClass ?? recipe.TrainPerClass, WarmupEpochs = warmup ?? recipe.WarmupEpochs, LearningRate = learningRate ?? recipe.LearningRate, Seed = seed ?? recipe.Seed };
        if (stretch is { } maxStretch)
        {
            recipe = recipe with { TrainingStretch = maxStretch };
        }

        if (variant is not null)
        {
            recipe = recipe.WithVariant(variant);
        }

        if (scratch)
        {
            recipe = recipe with { InitialiseFrom = null };
        }

        var total = Stopwatch.StartNew();
        random.manual_seed(recipe.Seed);
        var classes = SynthMotionClasses.Labels.Count;
        Console.WriteLine($"{recipe.Id}: rendering SynthMotion train/validation splits …");
        var train = SynthMotionData.Render(SynthMotionSplit.Train, recipe.TrainPerClass, recipe.Sampling, recipe.Seed, maxStretch: recipe.TrainingStretch);
        var validation = SynthMotionData.Render(SynthMotionSplit.Validation, recipe.ValidationPerClass, recipe.Sampling, recipe.Seed + 1);
        var net = recipe.Create(classes);
        string? start = null;
        if (recipe.InitialiseFrom is not null)
        {
            start = $"{net.InitialiseFrom(Path.Combine(modelsRoot, recipe.InitialiseFrom, "model.onnx"))} of {recipe.InitialiseFrom}";
            Console.WriteLine($"{recipe.Id}: initialised by {start}");
        }

        var fresh = recipe.FreshData
            ? epoch => SynthMotionData.Render(SynthMotionSplit.Train, recipe.TrainPerClass, recipe.Sampling, recipe.Seed, firstIndex: (epoch - 1) * train.Labels.Count, maxStretch: recipe.TrainingStretch)
            : (Func<int, SynthMotionData>?)null;
        var fitted = net.Fit(train, validation, recipe, Console.Out, fresh);
        var valAccuracy = fitted.ValidationAccuracy;
        net.eval();
        var trainMinutes = total.Elapsed.TotalMinutes;

        var frames = recipe.Sampling.ClipLength;
        // With fresh data every epoch renders a new set: that many distinct clips were trained on.
        var trainClips = recipe.FreshData ? train.Labels.Count * recipe.Epochs : train.Labels.Count;
        var clipNotes = new List<string>();
        if (recipe.FreshData)
        {
            clipNotes.Add($"{train.Labels.Count} new clips every epoch");
        }

        if (recipe.TrainingStretch > 1)
        {
            clipNotes.Add(string.Create(CultureInfo.InvariantCulture, $"frames 1–{recipe.TrainingStretch:0.##}× the sampled interval apart"));
        }

        var dataNote = clipNotes.Count > 0 ? $" ({string.Join(", ", clipNotes)})" : string.Empty;
        var notes = (start, fitted.Notes) switch
        {
            (null, null) => $"Trained from scratch on SynthMotion{dataNote}",
            (null, { } own) => string.Concat(own[..1].ToUpperInvariant(), own[1..]),
            (_, null) => $"Initialised by {start}, then trained on SynthMotion{dataNote}",
            (_, { } own) => $"Initialised by {start}, then {own}",
        };
        var onnx = net.ToOnnx(frames, Recipe.FrameSize, $"{recipe.Name}; trained on SynthMotion by sv-train {recipe.Id}");
        var parity = net.ParityDifference(onnx, frames, Recipe.FrameSize, recipe.Seed).MaxDifference;
        var manifest = new ModelManifest
        {
            Schema = "../manifest.schema.json",
            Id = recipe.Id,
            Name = recipe.Name,
            Family = recipe.Family,
            LabelSpace = "synthmotion",
            Inputs = net.ManifestInputs(),
            Output = net.ManifestOutput(),
            Sampling = recipe.Sampling,
            Preprocessing = Recipe.Preprocessing,
            Architecture = recipe.Architecture?.ToDictionary(p => p.Key, p => System.Text.Json.JsonSerializer.SerializeToElement(p.Value)),
            Provenance = ModelPublisher.Provenance(recipe.Id, trainClips, notes),
        };
        var metrics = new Dictionary<string, double>
        {
            ["seed"] = recipe.Seed,
            ["epochs"] = recipe.Epochs,
            ["trainClips"] = trainClips,
            ["validationAccuracy"] = Math.Round(valAccuracy, 4),
            ["parameters"] = net.parameters().Sum(p => p.numel()),
            ["flopsPerClip"] = 2 * net.MacsPerClip(frames, Recipe.FrameSize),
            ["onnxParityMaxAbsDiff"] = parity,
            ["trainMinutes"] = Math.Round(trainMinutes, 1),
        };
        foreach (var (name, value) in fitted.Metrics ?? new Dictionary<string, double>())
        {
            metrics[name] = value;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{recipe.Id}: validation {valAccuracy:P1}, parity {parity:E1}, {trainMinutes:0.0} min training"));
        return ModelPublisher.Publish(modelsRoot, manifest, onnx, metrics, recipe.TestPerClass * classes) ? 0 : 1;
    }
}
