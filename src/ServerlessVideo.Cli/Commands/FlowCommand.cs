using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessVideo.Core.Planning;
using ServerlessVideo.Media;
using ServerlessVideo.Media.Flow;

namespace ServerlessVideo.Cli.Commands;

/// <summary>
/// <c>flow VIDEO</c>: decodes a few frames the way the pipeline does, computes their optical flow with the pipeline's
/// own code (quantised as the models see it) and writes one colour-wheel PNG per frame pair: hue is the direction,
/// brightness the speed.
/// </summary>
public static class FlowCommand
{
    public static Command Create()
    {
        var video = new Argument<FileInfo>("video") { Description = "a video file" };
        var algorithm = new Option<string>("--algorithm") { Description = $"{string.Join(" or ", FlowAlgorithmNames.All)}", DefaultValueFactory = _ => FlowAlgorithmNames.TvL1 };
        var size = new Option<int>("--size") { Description = "frame size, pixels (short side resized, centre-cropped square)", DefaultValueFactory = _ => 224 };
        var fps = new Option<double>("--fps") { Description = "frames per second sampled", DefaultValueFactory = _ => 8.0 };
        var pairs = new Option<int>("--pairs") { Description = "frame pairs (pictures written)", DefaultValueFactory = _ => 4 };
        var start = new Option<double>("--start") { Description = "first frame's time, seconds", DefaultValueFactory = _ => 0.0 };
        var bound = new Option<double>("--bound") { Description = "flow clipped to ±bound pixels (full brightness)", DefaultValueFactory = _ => 20.0 };
        var output = new Option<DirectoryInfo>("--out") { Description = "folder for the PNGs", DefaultValueFactory = _ => new DirectoryInfo("flow") };
        var command = new Command("flow", "write colour-wheel PNGs of the optical flow the pipeline computes for a few frames")
        {
            video, algorithm, size, fps, pairs, start, bound, output,
        };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(video)!;
            if (!path.Exists)
            {
                throw new CliException($"no such file: {path.FullName}");
            }

            var algorithmName = parse.GetValue(algorithm)!;
            if (!FlowAlgorithmNames.TryParse(algorithmName, out var flowAlgorithm))
            {
                throw new CliException($"unknown flow algorithm '{algorithmName}' (use {string.Join(" or ", FlowAlgorithmNames.All)})");
            }

            var (side, rate, count, from, limit) = (parse.GetValue(size), parse.GetValue(fps), parse.GetValue(pairs), parse.GetValue(start), parse.GetValue(bound));
            if (side < 8 || rate <= 0 || count < 1 || from < 0 || limit <= 0)
            {
                throw new CliException("--size must be at least 8, --fps, --pairs and --bound positive, --start not negative");
            }

            var folder = parse.GetValue(output)!;
            folder.Create();
            var media = new MediaOptions();
            var extractor = new FrameSource(media, new VideoProber(media, NullLogger<VideoProber>.Instance), NullLogger<FrameSource>.Instance);
            var clip = await extractor.ExtractAsync(path.FullName, new FrameView(rate, side, side, count + 1), new ClipSpan(0, from), ct);
            var flow = FlowStack.Compute(clip, flowAlgorithm, limit);
            var writer = parse.InvocationConfiguration.Output;
            for (var pair = 0; pair < flow.Frames; pair++)
            {
                var file = Path.Combine(folder.FullName, string.Create(CultureInfo.InvariantCulture, $"flow-{pair:D2}.png"));
                await File.WriteAllBytesAsync(file, FlowImage.ToPng(flow, pair, limit, maxMagnitude: limit), ct);
                await writer.WriteLineAsync(file);
            }

            await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{algorithmName} flow, {side}² at {rate} fps from {from} s, bound ±{limit} px (full brightness = {limit} px per frame)"));
            return 0;
        });
        return command;
    }
}
