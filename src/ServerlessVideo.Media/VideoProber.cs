using FFMpegCore;
using FFMpegCore.Exceptions;
using Microsoft.Extensions.Logging;
using ServerlessVideo.Core;

namespace ServerlessVideo.Media;

/// <summary>Runs ffprobe on a local file or a ranged URL and turns what it says (or fails to say) into a <see cref="VideoProbe"/> or a reason code.</summary>
public sealed partial class VideoProber(MediaOptions options, ILogger<VideoProber> logger)
{
    private static readonly HashSet<string> StillImageCodecs = new(StringComparer.OrdinalIgnoreCase)
    {
        "png", "bmp", "webp", "tiff", "mjpeg", "jpegls", "gif",
    };

    /// <summary>Probes the file at <paramref name="path"/>; throws <see cref="MediaRejectedException"/> for input that cannot be a video.</summary>
    public Task<VideoProbe> ProbeAsync(string path, CancellationToken cancellationToken) => ProbeAsync(MediaInput.File(path), cancellationToken);

    /// <summary>Probes <paramref name="input"/>; throws <see cref="MediaRejectedException"/> for input that cannot be a video.</summary>
    public async Task<VideoProbe> ProbeAsync(MediaInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var size = input.SizeBytes;
        CheckSize(size);
        await CheckNotPlaylistAsync(input, cancellationToken);

        IMediaAnalysis analysis;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ProcessTimeout);
        try
        {
            analysis = await FFProbe.AnalyseAsync(input.Uri, Ff(), string.Join(' ', input.InputArguments), timeout.Token);
        }
        catch (FFProbeProcessException ex)
        {
            LogProbeFailed(logger, ex, input.Name, ex.StandardError.Count);
            throw new MediaRejectedException(ReasonCodes.Unreadable,
                "ffprobe cannot read this file as a video container (corrupt, truncated, or missing its index).", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MediaRejectedException(ReasonCodes.Unreadable, $"ffprobe did not finish within {options.ProcessTimeout.TotalSeconds:0} s.", ex);
        }
        catch (FormatException ex)
        {
            throw new MediaRejectedException(ReasonCodes.Unreadable, "ffprobe output could not be parsed for this file.", ex);
        }

        return ToProbe(analysis, size);
    }

    /// <summary>Rejects blobs over the cap before anything is downloaded.</summary>
    public void CheckSize(long sizeBytes)
    {
        if (sizeBytes == 0)
        {
            throw new MediaRejectedException(ReasonCodes.EmptyFile, "The file is empty (0 bytes).");
        }

        if (sizeBytes > options.MaxBytes)
        {
            throw new MediaRejectedException(ReasonCodes.TooLarge,
                $"The file is {sizeBytes} bytes; the limit is {options.MaxBytes} bytes.");
        }
    }

    private VideoProbe ToProbe(IMediaAnalysis analysis, long size)
    {
        var format = analysis.Format.FormatName ?? "unknown";
        var video = analysis.PrimaryVideoStream;
        if (video is null && analysis.AudioStreams.Count == 0 && analysis.SubtitleStreams.Count == 0)
        {
            // An mp4 cut before its index (moov) probes "successfully" with no streams at all.
            throw new MediaRejectedException(ReasonCodes.Unreadable,
                "No stream could be read from the file (truncated, or its index is missing).");
        }

        if (video is null)
        {
            var has = analysis.AudioStreams.Count > 0 ? "only audio" : "no video stream";
            throw new MediaRejectedException(ReasonCodes.NoVideoStream, $"The file has {has}; a video stream is required.");
        }

        var duration = Math.Max(analysis.Format.Duration.TotalSeconds, video.Duration.TotalSeconds);
        if (format.EndsWith("_pipe", StringComparison.Ordinal) || format == "image2"
            || (StillImageCodecs.Contains(video.CodecName ?? string.Empty) && duration <= 0.05))
        {
            throw new MediaRejectedException(ReasonCodes.StillImage, $"The file is a still image ({video.CodecName}), not a video.");
        }

        var fps = video.AverageFrameRate is > 0 and < 1000 ? video.AverageFrameRate : video.RealFrameRate;
        if (fps is not (> 0 and < 1000) || duration <= 0 || video.Width is not > 0 || video.Height is not > 0)
        {
            throw new MediaRejectedException(ReasonCodes.Unreadable,
                $"The video stream has no usable duration, frame rate or size (duration {duration:0.###} s, fps {fps:0.###}).");
        }

        if (duration > options.MaxDurationSeconds)
        {
            throw new MediaRejectedException(ReasonCodes.TooLong,
                $"The video lasts {duration:0.#} s; the limit is {options.MaxDurationSeconds:0.#} s.");
        }

        // ffmpeg autorotates while decoding, so a 90°/270° rotation swaps the displayed width and height.
        var rotation = ((video.Rotation % 360) + 360) % 360;
        var swap = rotation is 90 or 270;
        var width = swap ? video.Height.Value : video.Width.Value;
        var height = swap ? video.Width.Value : video.Height.Value;
        if (Math.Min(width, height) < options.MinSidePixels)
        {
            throw new MediaRejectedException(ReasonCodes.TooSmall,
                $"The picture is {width}×{height} pixels; both sides must be at least {options.MinSidePixels} (setting Media:MinSidePixels).");
        }

        return new VideoProbe(Math.Round(duration, 3), Math.Round(fps, 3), width, height, rotation, video.CodecName ?? "unknown", format, size);
    }

    private static async Task CheckNotPlaylistAsync(MediaInput input, CancellationToken cancellationToken)
    {
        var head = await input.ReadHeadAsync(64, cancellationToken);
        if (InputSafety.LooksLikePlaylist(head))
        {
            throw new MediaRejectedException(ReasonCodes.UnsupportedFormat,
                "The file is a playlist or script that refers to other inputs; upload the video itself.");
        }
    }

    private FFOptions Ff() => new() { BinaryFolder = options.BinaryFolder ?? string.Empty };

    [LoggerMessage(Level = LogLevel.Debug, Message = "ffprobe rejected {Path} ({StderrLines} lines of stderr)")]
    private static partial void LogProbeFailed(ILogger logger, Exception exception, string path, int stderrLines);
}
