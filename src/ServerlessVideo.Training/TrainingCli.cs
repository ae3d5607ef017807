using System.Globalization;
using ServerlessVideo.Training.Export;
using ServerlessVideo.Training.Nets;
using TorchSharp;

namespace ServerlessVideo.Training;

/// <summary><c>sv-train</c> commands.</summary>
public static class TrainingCli
{
    public const string Usage = """
        usage: sv-train <command>

          <model-id> [models-dir]        train a built-in model from scratch and write models/<model-id>/ (ids: RECIPES)
                                         [--epochs N] [--per-class N] [--warmup N] [--threads N] [--lr X] [--stretch X] [--seed N] [--scratch] override the recipe, and
                                         [--no-time-bias] [--no-gated-mlp] leave a TimeSformer block part out, for experiments
          readme [models-dir]            regenerate the tables in models/README.md from the manifests
          consensus [n]                  the consensus of all models against each alone on n test videos (600), into models/README.md
          parity [--timing] [id ...]     export every architecture (or those named) untrained and compare ONNX Runtime
                                         with TorchSharp, and each TimeSformer attention step with its masked
                                         definition (--timing: also time one training step of each)
          synth-videos <dir> [n] [split] encode n SynthMotion videos per class (split: train, validation, test, fresh)
          resnet18-probe [n]             frozen ImageNet ResNet18 features (NuGet featurizer) with a linear and an LSTM head, n clips per class
          evaluate <model-id> [split] [n] accuracy of a committed model on n videos of a split, through ONNX Runtime
          open-set [n]                   the built-in models' consensus confidence on n validation videos, and the
                                         unknown threshold that keeps 99 % of the right answers
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0)
        {
            await Console.Error.WriteLineAsync(Usage.Replace("RECIPES", string.Join(", ", Recipe.All.Select(r => r.Id)), StringComparison.Ordinal));
            return 2;
        }

        return args[0] switch
        {
            "synth-videos" => await SynthVideosCommand.RunAsync(args[1..]),
            "parity" => Parity(timing: args.Contains("--timing"), [.. args[1..].Where(a => a != "--timing")]),
            "readme" => Readme(args.Length > 1 ? args[1] : "models"),
            "evaluate" => Evaluate(args[1..]),
            "open-set" => OpenSet(args[1..]),
            "consensus" => ConsensusTable(args[1..]),
            "resnet18-probe" => ResNet18Probe.Run(args[1..]),
            _ => Train(args),
        };
    }

    private static readonly HashSet<string> ValueOptions = ["--epochs", "--threads", "--per-class", "--warmup", "--lr", "--stretch", "--seed"];

    /// <summary>
    /// <c>&lt;id&gt; [models-dir] [--epochs N] [--threads N] [--lr X] [--stretch X] [--seed N] [--no-time-bias] [--no-gated-mlp] …</c>: the options are
    /// for experiments, not for the committed models.
    /// </summary>
    private static int Train(string[] args)
    {
        static string? Value(string[] a, string name) => Array.IndexOf(a, name) is var i and >= 0 && i + 1 < a.Length ? a[i + 1] : null;
        static int? Option(string[] a, string name) => Value(a, name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : null;
        // A positional argument is one that is neither an option nor an option's value (--scratch takes none).
        var positional = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || !ValueOptions.Contains(args[i - 1]))).ToList();
        var lr = Value(args, "--lr") is { } rate ? double.Parse(rate, CultureInfo.InvariantCulture) : (double?)null;
        return TrainCommand.Run(
            positional[0], positional.Count > 1 ? positional[1] : "models", Option(args, "--epochs"), Option(args, "--threads"), Option(args, "--per-class"), Option(args, "--warmup"),
            lr, args.Contains("--scratch"),
            args.Contains("--no-time-bias") || args.Contains("--no-gated-mlp") ? new TransformerVariant(!args.Contains("--no-time-bias"), !args.Contains("--no-gated-mlp")) : null,
            Value(args, "--stretch") is { } stretch ? double.Parse(stretch, CultureInfo.InvariantCulture) : null, Option(args, "--seed"));
    }

    private static int Readme(string modelsRoot)
    {
        ModelsReadme.Update(modelsRoot);
        return 0;
    }

    private static int Evaluate(string[] args)
    {
        var split = args.Length > 1 ? Enum.Parse<Media.SynthMotion.SynthMotionSplit>(args[1], ignoreCase: true) : Media.SynthMotion.SynthMotionSplit.Test;
        var n = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 600;
        using var registry = new Inference.ModelRegistry(new Inference.InferenceOptions { ModelsPath = "models" }, Microsoft.Extensions.Logging.Abstractions.NullLogger<Inference.ModelRegistry>.Instance);
        var result = Evaluation.SynthMotionEvaluator.Evaluate(registry.Session(args[0]), split, n);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{args[0]} on {n} {split} videos: {result.Accuracy:P1} overall, {result.TemporalPairAccuracy:P1} on temporal-order classes, {result.MillisecondsPerClip:0.##} ms/clip"));
        Console.WriteLine(string.Join("  ", result.ClassAccuracy.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value:P0}"))));
        return 0;
    }

    private static readonly double[] Percentiles = [0.0, 0.01, 0.05, 0.25, 0.5];

    /// <summary>
    /// <c>consensus [n]</c>: the consensus of every built-in model, as the pipeline forms it, against each model alone on
    /// the first n test videos (600 by default); printed, and written to models/README.md.
    /// </summary>
    private static int ConsensusTable(string[] args)
    {
        var n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 600;
        using var registry = new Inference.ModelRegistry(new Inference.InferenceOptions { ModelsPath = "models" }, Microsoft.Extensions.Logging.Abstractions.NullLogger<Inference.ModelRegistry>.Instance);
        var sessions = registry.Available.Select(m => registry.Session(m.Id)).ToList();
        var rows = Evaluation.ConsensusCalibration.Compare(sessions, Media.SynthMotion.SynthMotionSplit.Test, n);
        foreach (var (name, accuracy, pairs) in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-40} {accuracy,7:P1} {pairs,7:P1}"));
        }

        ModelsReadme.UpdateConsensus("models", rows, n);
        return 0;
    }

    private static int OpenSet(string[] args)
    {
        var n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 600;
        using var registry = new Inference.ModelRegistry(new Inference.InferenceOptions { ModelsPath = "models" }, Microsoft.Extensions.Logging.Abstractions.NullLogger<Inference.ModelRegistry>.Instance);
        var sessions = registry.Available.Select(m => registry.Session(m.Id)).ToList();
        var outcomes = Evaluation.ConsensusCalibration.Measure(sessions, Media.SynthMotion.SynthMotionSplit.Validation, n);
        static string Quantiles(IEnumerable<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted.Count == 0
                ? "none"
                : string.Join(" ", Percentiles.Select(q => string.Create(CultureInfo.InvariantCulture, $"p{q * 100:0}={sorted[(int)(q * (sorted.Count - 1))]:0.000}")));
        }

        var right = outcomes.Where(o => o.Correct).Select(o => o.Confidence).ToList();
        var wrong = outcomes.Where(o => !o.Correct).Select(o => o.Confidence).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"consensus of {sessions.Count} models on {n} validation videos: {right.Count} right, {wrong.Count} wrong"));
        Console.WriteLine($"right: {Quantiles(right)}");
        Console.WriteLine($"wrong: {Quantiles(wrong)}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"threshold keeping 99 % of right answers: {Evaluation.ConsensusCalibration.Threshold(outcomes, 0.01):0.00}"));
        return 0;
    }

    /// <summary>
    /// Median of three training steps on random input: forward and backward, and then the optimizer's update, timed
    /// apart (an update walks every parameter tensor, which a forward and backward pass alone does not show); for
    /// planning epochs, not a benchmark.
    /// </summary>
    private static (double Pass, double Update) StepMilliseconds(Nets.VideoNet net, Recipe recipe)
    {
        net.train();
        using var optimizer = torch.optim.AdamW(net.parameters(), lr: 1e-6, weight_decay: recipe.WeightDecay);
        var passes = new List<double>();
        var updates = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            using var scope = torch.NewDisposeScope();
            var x = torch.randn(net.ClipShape(Trainer.BatchSize, recipe.Sampling.ClipLength, Recipe.FrameSize));
            optimizer.zero_grad();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            net.call(x).sum().backward();
            passes.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            optimizer.step();
            updates.Add(watch.Elapsed.TotalMilliseconds);
        }

        net.zero_grad();
        return (passes.Order().ElementAt(1), updates.Order().ElementAt(1));
    }

    /// <summary>
    /// Every architecture (or the named ones), freshly initialised with running batch-norm statistics moved off their
    /// defaults.
    /// </summary>
    private static int Parity(bool timing, IReadOnlyCollection<string> ids)
    {
        var unknown = ids.Except(Recipe.All.Select(r => r.Id)).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"Unknown recipe: {string.Join(", ", unknown)}.");
            return 2;
        }

        var worst = 0.0;
        var chosen = Recipe.All.Where(r => ids.Count == 0 || ids.Contains(r.Id)).ToList();
        // Each TimeSformer is checked without its optional block parts too (id+plain), as experiments may train it.
        var variants = chosen.Where(r => r.Family == "timesformer" && r.Variant != TransformerVariant.Plain)
            .Select(r => (Name: $"{r.Id}+plain", Recipe: r.WithVariant(TransformerVariant.Plain)));
        foreach (var (name, recipe) in chosen.Select(r => (Name: r.Id, Recipe: r)).Concat(variants))
        {
            torch.random.manual_seed(7);
            var net = recipe.Create(12);
            net.ExerciseBatchNorm(recipe.Sampling.ClipLength);

            var onnx = net.ToOnnx(recipe.Sampling.ClipLength, Recipe.FrameSize, "parity");
            var (diff, scale) = net.ParityDifference(onnx, recipe.Sampling.ClipLength, Recipe.FrameSize, 11);
            worst = Math.Max(worst, diff);
            var step = string.Empty;
            if (timing)
            {
                var (pass, update) = StepMilliseconds(net, recipe);
                step = string.Create(CultureInfo.InvariantCulture, $"; training step {pass:0} ms forward + backward and {update:0} ms update per batch of {Trainer.BatchSize}");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-36} max |onnx - torch| = {diff:E2} (outputs up to {scale:0.###}){step}"));
            if (net is TimeSformerNet timeSformer)
            {
                var grouping = timeSformer.GroupingDifference(11);
                worst = Math.Max(worst, grouping);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-36} max |groups - masked joint| = {grouping:E2}"));
                var halves = Training.Parity.HalfBatchDifference(net, recipe.Sampling.ClipLength, Recipe.FrameSize, 13);
                worst = Math.Max(worst, halves);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-36} max |half batches - whole batch| gradient = {halves:E2} of the largest"));
            }
        }

        // The parity test checks these are exactly the committed built-in models.
        Console.WriteLine($"recipes: {string.Join(' ', Recipe.All.Select(r => r.Id))}");
        return worst <= ModelPublisher.MaxParityDifference ? 0 : 1;
    }
}
