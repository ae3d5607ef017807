using System.Globalization;
using FFMpegCore;
using FFMpegCore.Pipes;

namespace ServerlessVideo.Media.SynthMotion;

/// <summary>Encodes a scene as a real video file (raw RGB frames piped into ffmpeg): H.264 mp4 or VP9 webm.</summary>
public static class SynthMotionVideoWriter
{
    public static async Task WriteAsync(SynthMotionScene scene, string path, int width, int height, double fps, string container, CancellationToken cancellationToken)
    {
        var frames = (int)Math.Floor(scene.Duration * fps);
        var frameBytes = width * height * 3;
        using var raw = new MemoryStream(frameBytes * frames);
        var buffer = new byte[frameBytes];
        for (var k = 0; k < frames; k++)
        {
            SynthMotionRenderer.RenderFrame(scene, k / fps, width, height, buffer);
            raw.Write(buffer);
        }

        raw.Position = 0;
        var inv = CultureInfo.InvariantCulture;
        var codec = container == "webm"
            ? "-c:v libvpx-vp9 -b:v 0 -crf 32 -deadline realtime -cpu-used 8"
            : "-c:v libx264 -preset veryfast -crf 20 -movflags +faststart";
        await FFMpegArguments
            .FromPipeInput(new StreamPipeSource(raw), o => o.WithCustomArgument(string.Create(inv, $"-f rawvideo -pix_fmt rgb24 -s {width}x{height} -r {fps}")))
            .OutputToFile(path, overwrite: true, o => o.WithCustomArgument($"-pix_fmt yuv420p -an {codec}"))
            .CancellableThrough(cancellationToken)
            .ProcessAsynchronously(throwOnError: true, null, cancellationToken);
    }
}
