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
    public static (double MaxDifference, double MaxOutput) Compare(VideoNet net, string onnxPath, int frames, int size, int seed, int batch = 2)
    {
        net.eval();
        random.manual_seed(seed);
        using var input = randn(new long[] { batch, frames, 3, size, size });
        float[] expected;
        using (no_grad())
        {
            expected = net.call(input).contiguous().data<float>().ToArray();
        }

        var data = input.contiguous().data<float>().ToArray();
        using var session = new InferenceSession(onnxPath);
        using var runOptions = new RunOptions();
        using var value = OrtValue.CreateTensorValueFromMemory(data, [batch, frames, 3, size, size]);
        using var outputs = session.Run(runOptions, [session.InputMetadata.Keys.First()], [value], [session.OutputMetadata.Keys.First()]);
        var actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        if (actual.Length != expected.Length)
        {
            throw new InvalidOperationException($"ONNX returned {actual.Length} values, TorchSharp {expected.Length}.");
        }

        return (expected.Zip(actual, (e, a) => (double)Math.Abs(e - a)).Max(), expected.Max(e => (double)Math.Abs(e)));
    }
}
