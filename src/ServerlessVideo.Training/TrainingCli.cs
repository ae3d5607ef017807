using TorchSharp;

namespace ServerlessVideo.Training;

/// <summary><c>sv-train</c> commands.</summary>
public static class TrainingCli
{
    public static Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0 && args[0] == "synth-videos")
        {
            return SynthVideosCommand.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "selftest")
        {
            var x = torch.randn(4, 3);
            var y = torch.nn.functional.relu(x).sum();
            Console.WriteLine($"libtorch {torch.__version__}, relu-sum {y.item<float>():0.###}");
            return Task.FromResult(0);
        }

        Console.Error.WriteLine("usage: sv-train <model-id> | selftest");
        return Task.FromResult(2);
    }
}
