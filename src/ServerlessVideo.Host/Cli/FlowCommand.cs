using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessVideo.Core.Planning;
using ServerlessVideo.Media;
using ServerlessVideo.Media.Flow;

namespace ServerlessVideo.Host.Cli;

/// <summary>
/// <c>flow &lt;video&gt;</c>: decodes a few frames the way the pipeline does, computes their optical flow with the
/// pipeline's own code (quantised as the models see it) and writes one colour-wheel PNG per frame pair: hue is the
/// direction, brightness the speed.
/// </summary>
public static class FlowCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        // Every "--name" takes the next argument as its value; what is left is the video.
        var positional = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || !args[i - 1].StartsWith("--", StringComparison.Ordinal))).ToList();
        if (positional.Count != 1)
        {
            throw new CliException("flow needs one video file: flow <video> [--algorithm tvl1|farneback] [--size 224] [--fps 8] [--pairs 4] [--start 0] [--bound 20] [--out flow]");
        }

        var path = Path.GetFullPath(positional[0]);
        if (!File.Exists(path))
        {
            throw new CliException($"no such file: {path}");
        }

        var algorithmName = Option(args, "--algorithm") ?? FlowAlgorithmNames.TvL1;
        if (!FlowAlgorithmNames.TryParse(algorithmName, out var algorithm))
        {
            throw new CliException($"unknown flow algorithm '{algorithmName}' (use {string.Join(" or ", FlowAlgorithmNames.All)})");
        }

        var size = Number(args, "--size", 224);
        var fps = Number(args, "--fps", 8.0);
        var pairs = Number(args, "--pairs", 4);
        var start = Number(args, "--start", 0.0);
        var bound = Number(args, "--bound", 20.0);
        var output = Option(args, "--out") ?? "flow";
        Directory.CreateDirectory(output);

        var extractor = new FrameExtractor(new MediaOptions(), NullLogger<FrameExtractor>.Instance);
        var clip = await extractor.ExtractAsync(path, new FrameView(fps, size, size, pairs + 1), new ClipSpan(0, start), CancellationToken.None);
        var flow = FlowStack.Compute(clip, algorithm, bound);
        for (var pair = 0; pair < flow.Frames; pair++)
        {
            var file = Path.Combine(output, string.Create(CultureInfo.InvariantCulture, $"flow-{pair:D2}.png"));
            await File.WriteAllBytesAsync(file, FlowImage.ToPng(flow, pair, bound, maxMagnitude: bound));
            Console.WriteLine(file);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{algorithmName} flow, {size}² at {fps} fps from {start} s, bound ±{bound} px (full brightness = {bound} px per frame)"));
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static T Number<T>(string[] args, string name, T fallback)
        where T : ISpanParsable<T>
    {
        var text = Option(args, name);
        if (text is null)
        {
            return fallback;
        }

        return T.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value : throw new CliException($"{name} takes a number, not '{text}'");
    }
}
