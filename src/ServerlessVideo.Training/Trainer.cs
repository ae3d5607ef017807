using System.Diagnostics;
using System.Globalization;
using ServerlessVideo.Training.Nets;
using TorchSharp;
using static TorchSharp.torch;

namespace ServerlessVideo.Training;

/// <summary>Adam, cross-entropy, cosine learning-rate decay, a progress bar and validation accuracy per epoch.</summary>
public static class Trainer
{
    public const int BatchSize = 32;

    /// <summary>
    /// Trains <paramref name="net"/> for the recipe's epochs on <paramref name="train"/>, or, when
    /// <paramref name="freshTrain"/> is given, on new clips from it for every epoch after the first.
    /// </summary>
    public static double Train(VideoNet net, SynthMotionData train, SynthMotionData validation, Recipe recipe, TextWriter log, Func<int, SynthMotionData>? freshTrain = null)
    {
        optim.Optimizer optimizer = recipe.AdamW
            ? optim.AdamW(net.parameters(), lr: recipe.LearningRate, weight_decay: recipe.WeightDecay)
            : optim.Adam(net.parameters(), lr: recipe.LearningRate, weight_decay: recipe.WeightDecay);
        var batchesPerEpoch = (train.Labels.Count + BatchSize - 1) / BatchSize;
        // Without warm-up: cosine decay stepped per epoch (how the committed models were trained). With it: a linear
        // ramp over the first WarmupEpochs, then cosine decay, both per step.
        var warmupSteps = recipe.WarmupEpochs * batchesPerEpoch;
        var totalSteps = recipe.Epochs * batchesPerEpoch;
        var scheduler = warmupSteps == 0
            ? optim.lr_scheduler.CosineAnnealingLR(optimizer, recipe.Epochs)
            : optim.lr_scheduler.LambdaLR(optimizer, step => step < warmupSteps
                ? (step + 1.0) / warmupSteps
                : 0.5 * (1 + Math.Cos(Math.PI * (step - warmupSteps) / Math.Max(1, totalSteps - warmupSteps))));
        var random = new Random(recipe.Seed);
        using var halves = get_num_threads() >= 2 ? new HalfBatchThreads() : null;
        var accuracy = 0.0;
        for (var epoch = 1; epoch <= recipe.Epochs; epoch++)
        {
            if (freshTrain is not null && epoch > 1)
            {
                train = freshTrain(epoch);
            }

            net.train();
            var order = Enumerable.Range(0, train.Labels.Count).OrderBy(_ => random.Next()).ToArray();
            var watch = Stopwatch.StartNew();
            double lossSum = 0;
            var batches = (order.Length + BatchSize - 1) / BatchSize;
            for (var b = 0; b < batches; b++)
            {
                using var scope = NewDisposeScope();
                var (x, y) = train.Batch(order.Skip(b * BatchSize).Take(BatchSize).ToList(), net.Layout);
                optimizer.zero_grad();
                lossSum += net.Backward(x, y, halves);
                optimizer.step();
                if (warmupSteps > 0)
                {
                    scheduler.step();
                }

                Progress(log, epoch, recipe.Epochs, b + 1, batches, lossSum / (b + 1), watch.Elapsed);
            }

            if (warmupSteps == 0)
            {
                scheduler.step();
            }

            accuracy = Accuracy(net, validation);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  validation {accuracy:P1}"));
        }

        return accuracy;
    }

    public static double Accuracy(VideoNet net, SynthMotionData data)
    {
        net.eval();
        using var _ = no_grad();
        var correct = 0;
        for (var start = 0; start < data.Labels.Count; start += BatchSize)
        {
            using var scope = NewDisposeScope();
            var (x, y) = data.Batch(Enumerable.Range(start, Math.Min(BatchSize, data.Labels.Count - start)).ToList(), net.Layout);
            correct += (int)net.call(x).argmax(1).eq(y).sum().item<long>();
        }

        return (double)correct / data.Labels.Count;
    }

    /// <summary>Softmax probabilities [N, classes] of every sample, in order.</summary>
    public static Tensor Probabilities(VideoNet net, SynthMotionData data)
    {
        net.eval();
        using var _ = no_grad();
        var parts = new List<Tensor>();
        for (var start = 0; start < data.Labels.Count; start += BatchSize)
        {
            var (x, _) = data.Batch(Enumerable.Range(start, Math.Min(BatchSize, data.Labels.Count - start)).ToList(), net.Layout);
            parts.Add(nn.functional.softmax(net.call(x), 1));
        }

        return cat(parts, 0);
    }

    private static void Progress(TextWriter log, int epoch, int epochs, int done, int total, double loss, TimeSpan elapsed)
    {
        const int width = 30;
        var filled = done * width / total;
        var bar = new string('=', filled) + (filled < width ? ">" : string.Empty) + new string(' ', Math.Max(0, width - filled - 1));
        log.Write(string.Create(CultureInfo.InvariantCulture, $"\repoch {epoch,2}/{epochs} [{bar}] {done}/{total} loss {loss:0.000} {elapsed.TotalSeconds:0}s"));
        if (done == total)
        {
            log.Write(' ');
        }
    }
}
