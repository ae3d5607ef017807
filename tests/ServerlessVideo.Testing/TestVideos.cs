using System.Diagnostics;
using ServerlessVideo.Core;
using ServerlessVideo.Media;

namespace ServerlessVideo.Testing;

/// <summary>Real media files for tests: encoded by ffmpeg, plus the broken inputs users upload by mistake.</summary>
public static class TestVideos
{
    public static async Task<string> ColourAsync(string folder, string colour, int width = 320, int height = 240, double fps = 25, double seconds = 3, string container = "mp4")
    {
        var path = Path.Combine(folder, $"{colour}-{width}x{height}-{fps}fps-{seconds}s.{container}");
        await SampleVideoWriter.WriteAsync(new SampleVideo(colour, width, height, fps, seconds, container), path, CancellationToken.None);
        return path;
    }

    /// <summary>Every kind of unusable upload and the reason code it must get.</summary>
    public static IReadOnlyList<(string Kind, string Reason)> BadInputs { get; } =
    [
        ("empty", ReasonCodes.EmptyFile),
        ("random", ReasonCodes.Unreadable),
        ("moovless", ReasonCodes.Unreadable),
        ("audio", ReasonCodes.NoVideoStream),
        ("still", ReasonCodes.StillImage),
        ("playlist", ReasonCodes.UnsupportedFormat),
        ("tiny", ReasonCodes.TooSmall),
    ];

    /// <summary>Writes the bad input named <paramref name="kind"/> (one of <see cref="BadInputs"/>) into <paramref name="folder"/>.</summary>
    public static async Task<string> BadAsync(string kind, string folder) => kind switch
    {
        "empty" => Empty(folder),
        "random" => RandomBytes(folder),
        "moovless" => await MoovlessAsync(folder),
        "audio" => await AudioOnlyAsync(folder),
        "still" => await StillImageAsync(folder),
        "playlist" => Playlist(folder),
        "tiny" => await ColourAsync(folder, "red", 8, 8, 10, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown bad input"),
    };

    /// <summary>
    /// Scenes cut together at 25 fps, 160×120: each an ffmpeg colour name (a flat frame with no motion) or
    /// <c>testsrc2</c> (a moving test pattern), for its seconds.
    /// </summary>
    public static async Task<string> ScenesAsync(string folder, params (string Source, double Seconds)[] scenes)
    {
        var path = Path.Combine(folder, $"scenes-{string.Join('-', scenes.Select(s => s.Source))}.mp4");
        var inputs = string.Join(' ', scenes.Select(s => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"-f lavfi -i {(s.Source == "testsrc2" ? "testsrc2=" : $"color=c={s.Source}:")}s=160x120:r=25:d={s.Seconds}")));
        var labels = string.Concat(scenes.Select((_, i) => $"[{i}]"));
        await FfmpegAsync($"{inputs} -filter_complex \"{labels}concat=n={scenes.Length}:v=1:a=0\" -c:v libx264 -preset ultrafast -pix_fmt yuv420p", path);
        return path;
    }

    /// <summary>10 s of red, then 10 s of blue: when a frame was taken shows in its colour.</summary>
    public static async Task<string> RedThenBlueAsync(string folder)
    {
        var path = Path.Combine(folder, "red-then-blue.mp4");
        await FfmpegAsync("-f lavfi -i color=c=red:s=160x120:r=25:d=10 -f lavfi -i color=c=blue:s=160x120:r=25:d=10 " +
            "-filter_complex \"[0][1]concat=n=2:v=1:a=0\" -c:v libx264 -preset ultrafast -pix_fmt yuv420p", path);
        return path;
    }

    /// <summary>
    /// <paramref name="fps"/> frames a second for <paramref name="seconds"/>, frame n a flat grey whose level encodes n
    /// (read back with <see cref="CountOf"/>), lossless H.264.
    /// </summary>
    public static async Task<string> CountingAsync(string folder, double fps, double seconds)
    {
        var path = Path.Combine(folder, $"counting-{fps}.mp4");
        await FfmpegAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"-f lavfi -i color=c=black:s=64x64:r={fps}:d={seconds} -vf \"geq=lum='16+3*N':cb=128:cr=128\" -c:v libx264 -qp 0 -pix_fmt yuv420p"), path);
        return path;
    }

    /// <summary>The frame number of an RGB frame of <see cref="CountingAsync"/> (BT.601 limited range back to luma).</summary>
    public static int CountOf(ReadOnlySpan<byte> rgb)
    {
        double sum = 0;
        for (var i = 0; i < rgb.Length; i += 3)
        {
            sum += rgb[i + 1];
        }

        // Measured through ffmpeg's rgb24 conversion: green ≈ 3.49 n − 1.5.
        return (int)Math.Round(((sum / (rgb.Length / 3)) + 1.5) / (3 * 255.0 / 219));
    }

    /// <summary>A video of exactly one frame (a camera's single shot saved as H.264), <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static async Task<string> SingleFrameAsync(string folder, int width, int height)
    {
        var path = Path.Combine(folder, $"one-frame-{width}x{height}.mp4");
        await FfmpegAsync($"-f lavfi -i testsrc2=s={width}x{height}:r=24 -frames:v 1 -c:v libx264 -preset ultrafast -pix_fmt yuv420p", path);
        return path;
    }

    public static string Empty(string folder) => Write(folder, "empty.mp4", []);

    public static string RandomBytes(string folder, int length = 32 * 1024)
    {
        var bytes = new byte[length];
        new Random(42).NextBytes(bytes);
        return Write(folder, "random.mp4", bytes);
    }

    /// <summary>An mp4 whose index (moov atom, written at the end without faststart) is cut off.</summary>
    public static async Task<string> MoovlessAsync(string folder)
    {
        var full = Path.Combine(folder, "full-no-faststart.mp4");
        await FfmpegAsync("-f lavfi -i color=c=red:s=160x120:r=25:d=2 -c:v libx264 -preset ultrafast -pix_fmt yuv420p", full);
        var bytes = await File.ReadAllBytesAsync(full);
        return Write(folder, "moovless.mp4", bytes[..(bytes.Length * 2 / 3)]);
    }

    public static async Task<string> AudioOnlyAsync(string folder)
    {
        var path = Path.Combine(folder, "audio-only.m4a");
        await FfmpegAsync("-f lavfi -i sine=frequency=440:duration=2 -c:a aac", path);
        return path;
    }

    public static async Task<string> StillImageAsync(string folder)
    {
        var path = Path.Combine(folder, "still.png");
        await FfmpegAsync("-f lavfi -i color=c=red:s=64x64 -frames:v 1", path);
        return path;
    }

    /// <summary>An HLS playlist pointing at a local file and a URL: ffmpeg must open neither.</summary>
    public static string Playlist(string folder) =>
        Write(folder, "playlist.mp4", System.Text.Encoding.ASCII.GetBytes(
            "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile:///etc/passwd\n#EXTINF:10,\nhttp://127.0.0.1:9/x.ts\n#EXT-X-ENDLIST\n"));

    /// <summary>A video with 90° rotation metadata, written by stream-copy (re-encoding would drop it).</summary>
    public static async Task<string> RotatedAsync(string folder, string colour, int width, int height)
    {
        var plain = await ColourAsync(folder, colour, width, height, 25, 2);
        var path = Path.Combine(folder, $"{colour}-rotated.mp4");
        await FfmpegAsync($"-i \"{plain}\" -c copy -metadata:s:v:0 rotate=90", path);
        return path;
    }

    private static string Write(string folder, string name, byte[] bytes)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Runs ffmpeg (quiet, overwriting) with <paramref name="arguments"/> and writes <paramref name="output"/>.</summary>
    public static async Task FfmpegAsync(string arguments, string output)
    {
        var start = new ProcessStartInfo("ffmpeg", $"-y -v error {arguments} \"{output}\"") { RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg {arguments} failed: {stderr}");
        }
    }
}
