using System.Diagnostics;
using System.Globalization;
using ServerlessVideo.Media.SynthMotion;

namespace ServerlessVideo.Cli.Commands.Bench;

/// <summary>
/// The bench's input videos, encoded once into the media folder and reused by later runs (they are deterministic):
/// SynthMotion clips for the batch, and ffmpeg <c>testsrc2</c> videos for the long-video and memory scenarios.
/// Encoding is never part of a measurement.
/// </summary>
internal static class BenchVideos
{
    /// <summary>A short clip of the batch: its file and its SynthMotion class.</summary>
    public sealed record Clip(string Path, string Label);

    /// <summary>
    /// <paramref name="count"/> SynthMotion clips, 480×480 H.264 mp4, 2.5–4 s each (the scene's own duration), every class in
    /// turn with its own scene seed, alternating 25 and 30 fps.
    /// </summary>
    public static async Task<IReadOnlyList<Clip>> SynthMotionAsync(string folder, int count, CancellationToken cancellationToken)
    {
        var labels = SynthMotionClasses.Labels;
        var clips = Enumerable.Range(0, count).Select(i =>
        {
            var label = i % labels.Count;
            var fps = i % 2 == 0 ? 25 : 30;
            var path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"synth-480-{i:000}-{labels[label]}-{fps}fps.mp4"));
            return (Clip: new Clip(path, labels[label]), Scene: new SynthMotionScene(SynthMotionSeeds.Of(SynthMotionSplit.Fresh, 700_000 + i), label), Fps: fps);
        }).ToList();
        await Parallel.ForEachAsync(clips.Where(c => !File.Exists(c.Clip.Path)), new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = cancellationToken }, async (c, ct) =>
        {
            var partial = c.Clip.Path + ".part.mp4";
            await SynthMotionVideoWriter.WriteAsync(c.Scene, partial, 480, 480, c.Fps, "mp4", ct);
            File.Move(partial, c.Clip.Path, overwrite: true);
        });
        return [.. clips.Select(c => c.Clip)];
    }

    /// <summary>
    /// A <paramref name="seconds"/>-second <c>testsrc2</c> video at <paramref name="width"/>×<paramref name="height"/>, 30 fps,
    /// H.264. <paramref name="heavy"/> adds temporal noise and encodes at 35 Mb/s (a camera-like bitrate, expensive to
    /// decode); otherwise it is the plain test pattern at ultrafast/CRF 23 (cheap to make, for memory measurements).
    /// </summary>
    public static async Task<string> TestSourceAsync(string folder, int width, int height, int seconds, bool heavy, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"testsrc2-{width}x{height}-{seconds}s-{(heavy ? "noise35M" : "plain")}.mp4"));
        if (File.Exists(path))
        {
            return path;
        }

        var partial = path + ".part.mp4";
        string[] encode = heavy
            ? ["-vf", "noise=alls=20:allf=t", "-c:v", "libx264", "-preset", "veryfast", "-b:v", "35M", "-maxrate", "35M", "-bufsize", "70M"]
            : ["-c:v", "libx264", "-preset", "ultrafast", "-crf", "23"];
        string[] arguments =
        [
            "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"testsrc2=size={width}x{height}:rate=30"),
            "-t", seconds.ToString(CultureInfo.InvariantCulture),
            .. encode, "-pix_fmt", "yuv420p", "-movflags", "+faststart", partial,
        ];
        var (exit, errors) = await RunFfmpegAsync(arguments, cancellationToken);
        if (exit != 0)
        {
            throw new CliException($"ffmpeg could not encode {Path.GetFileName(path)} (exit {exit}): {errors}");
        }

        File.Move(partial, path, overwrite: true);
        return path;
    }

    /// <summary>Runs ffmpeg with <paramref name="arguments"/>; its exit code and the end of its error output.</summary>
    public static async Task<(int ExitCode, string Errors)> RunFfmpegAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new CliException("ffmpeg did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await stdout;
        var errors = await stderr;
        return (process.ExitCode, errors.Length > 400 ? errors[^400..] : errors);
    }

    /// <summary>
    /// Decodes every file in full with <c>ffmpeg -nostdin -i FILE -f null -</c>, <paramref name="parallel"/> at a time:
    /// the wall time for all of them, seconds.
    /// </summary>
    public static async Task<double> DecodeAllAsync(IReadOnlyList<string> files, int parallel, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken }, async (file, ct) =>
        {
            var (exit, errors) = await RunFfmpegAsync(["-nostdin", "-hide_banner", "-loglevel", "error", "-i", file, "-f", "null", "-"], ct);
            if (exit != 0)
            {
                throw new CliException($"ffmpeg could not decode {file} (exit {exit}): {errors}");
            }
        });
        return watch.Elapsed.TotalSeconds;
    }
}
