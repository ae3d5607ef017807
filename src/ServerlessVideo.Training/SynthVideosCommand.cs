using ServerlessVideo.Media.SynthMotion;

namespace ServerlessVideo.Training;

/// <summary><c>synth-videos &lt;dir&gt; [per-class] [split]</c>: encodes SynthMotion videos, several sizes, rates and codecs.</summary>
public static class SynthVideosCommand
{
    private static readonly (int W, int H, double Fps, string Container)[] Formats =
        [(320, 240, 25, "mp4"), (640, 360, 30, "mp4"), (480, 480, 24, "webm"), (360, 640, 30, "mp4")];

    public static async Task<int> RunAsync(string[] args)
    {
        var dir = args.Length > 0 ? args[0] : throw new ArgumentException("synth-videos needs a folder");
        var perClass = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1;
        var split = args.Length > 2 ? Enum.Parse<SynthMotionSplit>(args[2], ignoreCase: true) : SynthMotionSplit.Test;
        Directory.CreateDirectory(dir);
        var index = 0;
        for (var i = 0; i < perClass; i++)
        {
            for (var label = 0; label < SynthMotionClasses.Labels.Count; label++, index++)
            {
                var scene = new SynthMotionScene(SynthMotionSeeds.Of(split, index), label);
                var f = Formats[index % Formats.Length];
                var path = Path.Combine(dir, $"{SynthMotionClasses.Labels[label]}-{index:D4}.{f.Container}");
                await SynthMotionVideoWriter.WriteAsync(scene, path, f.W, f.H, f.Fps, f.Container, CancellationToken.None);
                Console.WriteLine(path);
            }
        }

        return 0;
    }
}
