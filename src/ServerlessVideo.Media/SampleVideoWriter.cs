using System.Globalization;
using FFMpegCore;

namespace ServerlessVideo.Media;

/// <summary>Encodes <see cref="SampleVideo"/>s with ffmpeg's lavfi sources: real H.264/VP9 files for demos and tests.</summary>
public static class SampleVideoWriter
{
    public static async Task WriteAsync(SampleVideo video, string path, CancellationToken cancellationToken)
    {
        var inv = CultureInfo.InvariantCulture;
        var square = Math.Max(8, Math.Min(video.Width, video.Height) / 6);
        var background = string.Create(inv, $"color=c={video.Colour}:s={video.Width}x{video.Height}:r={video.Fps}:d={video.Seconds}");
        // The square crosses the frame once over the video; white raises every channel alike, so the dominant colour stays.
        var speed = (video.Width - square) / Math.Max(video.Seconds, 0.1);
        var filter = string.Create(inv,
            $"[1:v]scale={square}:{square}[sq];[0:v][sq]overlay=x='min({speed:0.###}*t,{video.Width - square})':y={(video.Height - square) / 2}:shortest=1,format=yuv420p");
        var codec = video.Container == "webm"
            ? "-c:v libvpx-vp9 -b:v 0 -crf 40 -deadline realtime -cpu-used 8"
            : "-c:v libx264 -preset ultrafast -crf 23 -movflags +faststart";
        await FFMpegArguments
            .FromFileInput(background, verifyExists: false, o => o.WithCustomArgument("-f lavfi"))
            .AddFileInput("color=c=white:s=16x16", verifyExists: false, o => o.WithCustomArgument("-f lavfi"))
            .OutputToFile(path, overwrite: true, o => o.WithCustomArgument($"-filter_complex \"{filter}\" -an {codec}"))
            .CancellableThrough(cancellationToken)
            .ProcessAsynchronously(throwOnError: true, null, cancellationToken);
    }
}
