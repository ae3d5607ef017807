using System.Globalization;
using Microsoft.Extensions.Logging;
using ServerlessVideo.Core;
using ServerlessVideo.Core.Planning;
using ServerlessVideo.Core.Tensors;

namespace ServerlessVideo.Media;

/// <summary>
/// Decodes one clip of a view with ffmpeg straight to raw RGB through a pipe: seek (before <c>-i</c>, which lands on
/// the exact frame), resample to the view's rate, resize the short side, centre-crop, and stop after T frames.
/// </summary>
public sealed partial class FrameExtractor(MediaOptions options, ILogger<FrameExtractor> logger)
{
    /// <summary>
    /// Extracts <paramref name="clip"/> of <paramref name="view"/> from <paramref name="path"/>. A clip running past
    /// the end is padded by repeating its last frame (mmaction2's loop/repeat padding); a clip with no frame at all
    /// means the stream is corrupt where the probe promised frames.
    /// </summary>
    public async Task<ClipTensor> ExtractAsync(string path, FrameView view, ClipSpan clip, CancellationToken cancellationToken)
    {
        var size = view.CropSize;
        var frameBytes = size * size * ClipTensor.RgbChannels;
        using var buffer = new MemoryStream(frameBytes * view.ClipLength);
        if (1 / view.Fps >= SparseFrameSeconds)
        {
            // Frames far apart (TSN segments over a long video): one exact seek per frame decodes a few GOPs each,
            // where the fps filter would decode everything in between.
            for (var k = 0; k < view.ClipLength; k++)
            {
                // ffmpeg reporting no frame at a seek means the sampled time is past the end: pad from here.
                if (await DecodeAsync(path, clip.StartSeconds + (k / view.Fps), GeometryFilter(view), 1, buffer, frameBytes, clip.Index, cancellationToken) == 0)
                {
                    break;
                }
            }
        }
        else
        {
            await DecodeAsync(path, clip.StartSeconds, FilterFor(view), view.ClipLength, buffer, frameBytes, clip.Index, cancellationToken);
        }

        var decoded = (int)(buffer.Length / frameBytes);
        if (decoded == 0)
        {
            throw new MediaRejectedException(ReasonCodes.DecodeFailed,
                $"No frame could be decoded at {clip.StartSeconds:0.###} s although the probe reports the video lasts longer.");
        }

        var data = new byte[frameBytes * view.ClipLength];
        buffer.GetBuffer().AsSpan(0, decoded * frameBytes).CopyTo(data);
        var last = data.AsSpan((decoded - 1) * frameBytes, frameBytes);
        for (var t = decoded; t < view.ClipLength; t++)
        {
            last.CopyTo(data.AsSpan(t * frameBytes));
        }

        return new ClipTensor(view.ClipLength, size, size, data);
    }

    /// <summary>Sampled frames at least this far apart (seconds) are decoded one seek each.</summary>
    public const double SparseFrameSeconds = 2.0;

    /// <summary>
    /// fps resampling, then <see cref="GeometryFilter"/>. <c>eof_action=pass</c> keeps a last frame shorter than one
    /// output interval (a one-frame file at 4 fps would otherwise round to no frame at all).
    /// </summary>
    public static string FilterFor(FrameView view) =>
        $"fps={view.Fps.ToString("0.######", CultureInfo.InvariantCulture)}:eof_action=pass,{GeometryFilter(view)}";

    /// <summary>
    /// Short-side resize keeping aspect (even sizes; the long side rounds), then a centre crop. Autorotation happens
    /// before this chain, so iw/ih are the displayed dimensions.
    /// </summary>
    public static string GeometryFilter(FrameView view)
    {
        var s = view.ResizeShortSide;
        return $"scale=w='if(lt(iw,ih),{s},-2)':h='if(lt(iw,ih),-2,{s})':flags=bilinear,crop={view.CropSize}:{view.CropSize}";
    }

    /// <summary>
    /// Appends up to <paramref name="frames"/> raw RGB frames from <paramref name="startSeconds"/> to <paramref name="buffer"/>
    /// and returns how many came. Zero frames with ffmpeg reporting zero means there is no frame at that time (past the
    /// end); fewer bytes than ffmpeg reports writing is a transient <see cref="FramesLostException"/>. A failing ffmpeg is
    /// a decode failure only when nothing at all has been decoded for the clip.
    /// </summary>
    private async Task<int> DecodeAsync(string path, double startSeconds, string filter, int frames, MemoryStream buffer, int frameBytes, int clipIndex, CancellationToken cancellationToken)
    {
        string[] arguments =
        [
            .. InputSafety.InputArgumentList,
            "-ss", startSeconds.ToString("0.###", CultureInfo.InvariantCulture),
            "-i", InputSafety.FileUrl(path),
            "-vf", filter, "-frames:v", frames.ToString(CultureInfo.InvariantCulture),
            "-an", "-sn", "-dn", "-pix_fmt", "rgb24", "-f", "rawvideo", "pipe:1",
        ];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ProcessTimeout);
        var before = buffer.Length;
        FfmpegRun run;
        try
        {
            run = await FfmpegProcess.RunAsync(options.BinaryFolder, arguments, buffer, timeout.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MediaRejectedException(ReasonCodes.DecodeFailed,
                $"ffmpeg did not decode the frames at {startSeconds:0.###} s within {options.ProcessTimeout.TotalSeconds:0} s.", ex);
        }

        var received = buffer.Length - before;
        if (run.ExitCode != 0)
        {
            LogExtractFailed(logger, path, clipIndex, run.ExitCode, string.Join(" | ", run.Errors));
            if (buffer.Length < frameBytes)
            {
                throw new MediaRejectedException(ReasonCodes.DecodeFailed,
                    $"ffmpeg could not decode frames at {startSeconds:0.###} s (exit {run.ExitCode}): {string.Join(" ", run.Errors.Take(3))}");
            }

            // Keep the whole frames that came before the failure; the clip is padded from the last of them.
            buffer.SetLength(before + (received / frameBytes * frameBytes));
            return (int)(received / frameBytes);
        }

        if (received % frameBytes != 0 || (run.ReportedFrames is { } reported && reported * frameBytes != received))
        {
            throw new FramesLostException(
                $"ffmpeg reported {run.ReportedFrames?.ToString(CultureInfo.InvariantCulture) ?? "no"} frames at {startSeconds:0.###} s but {received} bytes arrived ({frameBytes} per frame).");
        }

        return (int)(received / frameBytes);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "ffmpeg failed on {Path} clip {Clip} with exit code {ExitCode}: {Stderr}")]
    private static partial void LogExtractFailed(ILogger logger, string path, int clip, int exitCode, string stderr);
}
