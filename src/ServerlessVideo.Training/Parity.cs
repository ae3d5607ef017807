using Microsoft.ML.OnnxRuntime;
using ServerlessVideo.Training.Nets;
using static TorchSharp.torch;

namespace ServerlessVideo.Training;

/// <summary>
/// Runs the TorchSharp network and its ONNX export on the same random input: the largest absolute difference, and the
/// largest absolute output (so a difference is read against the size of what is compared).
/// </summary>
public static class Parity
{
    public static (double MaxDifference, double MaxOutput) Compare(VideoNet net, byte[] onnx, int frames, int size, int seed, int batch = 2, string? outputName = null)
    {
        ArgumentNullException.ThrowIfNull(net);
        net.eval();
        random.manual_seed(seed);
        using var input = randn(net.ClipShape(batch, frames, size));
        float[] expected;
        using (no_grad())
        {
            expected = net.call(input).contiguous().data<float>().ToArray();
        }

        using var session = new InferenceSession(onnx);
        using var runOptions = new RunOptions();
        // Inputs of other networks in the same graph (the other stream of a two-stream model) get zeros.
        var feeds = net.Feeds(input).ToList();
        foreach (var (name, meta) in session.InputMetadata.Where(m => feeds.All(f => f.Name != m.Key)))
        {
            feeds.Add((name, zeros(meta.Dimensions.Select(d => d < 0 ? (long)batch : d).ToArray())));
        }

        var values = feeds.Select(f => OrtValue.CreateTensorValueFromMemory(f.Value.contiguous().data<float>().ToArray(), f.Value.shape)).ToList();
        try
        {
            using var outputs = session.Run(runOptions, feeds.Select(f => f.Name).ToList(), values, [outputName ?? session.OutputMetadata.Keys.First()]);
            var actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();
            if (actual.Length != expected.Length)
            {
                throw new InvalidOperationException($"ONNX returned {actual.Length} values, TorchSharp {expected.Length}.");
            }

            return (expected.Zip(actual, (e, a) => (double)Math.Abs(e - a)).Max(), expected.Max(e => (double)Math.Abs(e)));
        }
        finally
        {
            values.ForEach(v => v.Dispose());
        }
    }

    /// <summary>
    /// The training step's gradients computed on two half batches at once (<see cref="HalfBatchThreads"/>) against the
    /// same step on the whole batch, in training mode on random clips: the largest difference over every parameter,
    /// relative to the largest gradient.
    /// </summary>
    public static double HalfBatchDifference(VideoNet net, int frames, int size, int seed, int batch = 4)
    {
        ArgumentNullException.ThrowIfNull(net);
        net.train();
        random.manual_seed(seed);
        using var x = randn(net.ClipShape(batch, frames, size));
        using var y = arange(batch, ScalarType.Int64);
        // A parameter the network leaves unused (space-only's time embedding) has no gradient either way.
        List<Tensor?> Gradients(HalfBatchThreads? halves)
        {
            net.zero_grad();
            net.Backward(x, y, halves);
            return [.. net.parameters().Select(p => p.grad?.clone())];
        }

        var whole = Gradients(null);
        using var threads = new HalfBatchThreads();
        var split = Gradients(threads);
        net.zero_grad();
        var largest = whole.Max(g => g is null ? 0 : g.abs().max().item<float>());
        var difference = whole.Zip(split, (w, h) => (w, h) switch
        {
            (null, null) => 0,
            ({ } a, { } b) => (a - b).abs().max().item<float>(),
            _ => double.PositiveInfinity,
        }).Max();
        whole.Concat(split).ToList().ForEach(g => g?.Dispose());
        return difference / largest;
    }
}
