using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using ServerlessVideo.Media.SynthMotion;
using TorchSharp;
using static TorchSharp.torch;

namespace ServerlessVideo.Training;

/// <summary>
/// <c>resnet18-probe [per-class] [featurizer-dir]</c>: would ImageNet features help the frame-level families here?
/// Renders TSN-sampled frames at 224², runs the NuGet ResNet18 featurizer (its preprocessing graph, then the
/// network: 512 pooled features per frame), and trains two heads on the frozen features: a linear classifier of the
/// mean feature (TSN with a linear head: orderless) and an LSTM over the 8 features in order. Prints test accuracy
/// overall and on the temporal-order classes, to compare with the from-scratch models in models/README.md.
/// </summary>
public static class ResNet18Probe
{
    private const int Size = 224;
    private const int Frames = 8;
    private const int Features = 512;

    public static int Run(string[] args)
    {
        var perClass = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
        var folder = args.Length > 1 ? args[1] : typeof(ResNet18Probe).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false).Cast<System.Reflection.AssemblyMetadataAttribute>()
            .Single(a => a.Key == "ResNet18Featurizer").Value!;
        using var options = new SessionOptions();
        using var prep = new InferenceSession(Path.Combine(folder, "ResNetPrepOnnx", "ResNetPreprocess.onnx"), options);
        using var net = new InferenceSession(Path.Combine(folder, "ResNet18Onnx", "ResNet18.onnx"), options);
        Console.WriteLine($"preprocess: {Describe(prep)}; resnet18: {Describe(net)}");

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (trainX, trainY) = Featurize(prep, net, SynthMotionSplit.Train, perClass);
        var (testX, testY) = Featurize(prep, net, SynthMotionSplit.Test, 50);
        var msPerFrame = watch.Elapsed.TotalMilliseconds / ((trainY.Length + testY.Length) * Frames);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"features: {msPerFrame:0.0} ms per frame (render 224² + ResNet18)"));

        random.manual_seed(1234);
        var linear = nn.Linear(Features, 12);
        Report("ResNet18 + mean + linear (TSN-style)", Fit(linear, x => linear.call(x.mean([1])), trainX, trainY, testX, testY), testY);
        random.manual_seed(1234);
        var lstm = nn.LSTM(Features, 128, batchFirst: true);
        var head = nn.Linear(128, 12);
        Report("ResNet18 + LSTM (in order)", Fit(nn.ModuleList<nn.Module>(lstm, head), x => head.call(lstm.call(x).Item2[0]), trainX, trainY, testX, testY), testY);
        return 0;
    }

    private static string Describe(InferenceSession s) =>
        string.Join(", ", s.InputMetadata.Select(i => $"{i.Key}[{string.Join(",", i.Value.Dimensions)}]")) + " → " +
        string.Join(", ", s.OutputMetadata.Select(o => $"{o.Key}[{string.Join(",", o.Value.Dimensions)}]"));

    /// <summary>[clips, 8, 512] mean-pooled ResNet18 features of TSN-sampled frames (middle of each segment) and labels.</summary>
    private static (Tensor X, long[] Y) Featurize(InferenceSession prep, InferenceSession net, SynthMotionSplit split, int perClass)
    {
        var count = perClass * 12;
        var features = new float[count * Frames * Features];
        var labels = new long[count];
        var pixels = new byte[Size * Size * 3];
        var input = new float[3 * Size * Size];
        for (var i = 0; i < count; i++)
        {
            var label = i % 12;
            labels[i] = label;
            var scene = new SynthMotionScene(SynthMotionSeeds.Of(split, i), label);
            for (var k = 0; k < Frames; k++)
            {
                SynthMotionRenderer.RenderFrame(scene, (k + 0.5) * scene.Duration / Frames, Size, Size, pixels);
                // The featurizer takes planar BGR in 0..255; its preprocessing graph subtracts the ImageNet mean image.
                for (var p = 0; p < Size * Size; p++)
                {
                    input[p] = pixels[(p * 3) + 2];
                    input[(Size * Size) + p] = pixels[(p * 3) + 1];
                    input[(2 * Size * Size) + p] = pixels[p * 3];
                }

                var output = Run(net, Run(prep, input, [1, 3, Size, Size]), [1, 3, Size, Size]);
                output.AsSpan(0, Features).CopyTo(features.AsSpan(((i * Frames) + k) * Features));
            }
        }

        return (tensor(features, [count, Frames, Features]), labels);
    }

    private static float[] Run(InferenceSession session, float[] data, long[] shape)
    {
        // Held in a local for the whole call: an inline `new RunOptions()` can be finalised by the GC while the native
        // run still uses it (seen here as a segfault inside libonnxruntime after a few thousand runs).
        using var runOptions = new RunOptions();
        using var value = OrtValue.CreateTensorValueFromMemory(data, shape);
        using var outputs = session.Run(runOptions, [session.InputMetadata.Keys.First()], [value], [session.OutputMetadata.Keys.First()]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static long[] Fit(nn.Module module, Func<Tensor, Tensor> forward, Tensor trainX, long[] trainY, Tensor testX, long[] testY)
    {
        var optimizer = optim.Adam(module.parameters(), lr: 1e-3, weight_decay: 1e-4);
        var y = tensor(trainY);
        var random = new Random(1);
        for (var epoch = 0; epoch < 60; epoch++)
        {
            var order = Enumerable.Range(0, trainY.Length).OrderBy(_ => random.Next()).Select(i => (long)i).ToArray();
            for (var b = 0; b < order.Length; b += 64)
            {
                using var scope = NewDisposeScope();
                var idx = tensor(order.Skip(b).Take(64).ToArray());
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(forward(trainX.index_select(0, idx)), y.index_select(0, idx));
                loss.backward();
                optimizer.step();
            }
        }

        using var _ = no_grad();
        return forward(testX).argmax(1).data<long>().ToArray();
    }

    private static void Report(string name, long[] predicted, long[] truth)
    {
        var all = predicted.Zip(truth).Count(p => p.First == p.Second) / (double)truth.Length;
        var pairs = predicted.Zip(truth).Where(p => p.Second < 8).ToList();
        var pairAccuracy = pairs.Count(p => p.First == p.Second) / (double)pairs.Count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-40} test {all:P1}, temporal-order classes {pairAccuracy:P1}"));
    }
}
