using System.Globalization;
using Microsoft.Extensions.Logging;
using ServerlessVideo.Core;
using ServerlessVideo.Core.Planning;
using ServerlessVideo.Core.Tensors;
using ServerlessVideo.Media.Decoding;
using ServerlessVideo.Media.Resampling;

namespace ServerlessVideo.Media;

/// <summary>
/// Decodes a video once for every clip of every view: all the frame times the views need are gathered, planned into
/// the fewest decodes that cover them (<see cref="DecodePlanner"/>; a short video is one pass, a long one a few
/// GOP-aligned ranges, none decoded twice), and each range is decoded by one ffmpeg process per geometry, which resizes
/// and crops to the view's size and pipes raw RGB (<c>rgb24</c>, ffmpeg's own YUV→RGB conversion); a view with a
/// reference resize (<see cref="FrameView.Resize"/>) gets its frames at their own size, each resized and cropped here
/// by that library's resampler as it arrives (<see cref="ReferenceGeometry"/>). Each clip frame is
/// the frame on screen at its time: the latest decoded frame starting at or before it (within a millisecond). A clip
/// running past the end repeats the last frame.
/// </summary>
public sealed partial class FrameSource(MediaOptions options, VideoProber prober, ILogger<FrameSource> logger)
{
    /// <summary>Set once hardware decoding has failed in this process: later decodes go straight to the CPU.</summary>
    private volatile bool _hardwareFailed;

    /// <summary>Keep ranges past which a window is decoded whole rather than through a select expression.</summary>
    private const int MaxSelectTerms = 64;

    /// <summary>How far before the needed frames the stream may end and still be padded (plus 5 % of the duration).</summary>
    private const double PadSeconds = 2.0;

    /// <summary>Tolerance for "starts at or before τ": sampled times are rounded to the millisecond.</summary>
    private const double Tolerance = 1e-3;

    /// <summary>One clip of <paramref name="view"/> from a file it probes first (the CLI's and the tests' entry).</summary>
    public async Task<ClipTensor> ExtractAsync(string path, FrameView view, ClipSpan clip, CancellationToken cancellationToken)
    {
        var input = MediaInput.File(path);
        var probe = await prober.ProbeAsync(input, cancellationToken);
        return (await ExtractAsync(input, probe, [new ClipRequest(view, clip)], cancellationToken))[0];
    }

    /// <summary>Every requested clip of the file at <paramref name="path"/>, in request order.</summary>
    public Task<IReadOnlyList<ClipTensor>> ExtractAsync(string path, VideoProbe probe, IReadOnlyList<ClipRequest> requests, CancellationToken cancellationToken) =>
        ExtractAsync(MediaInput.File(path), probe, requests, cancellationToken);

    /// <summary>Every requested clip, in request order, from one decode of the ranges they need.</summary>
    public async Task<IReadOnlyList<ClipTensor>> ExtractAsync(MediaInput input, VideoProbe probe, IReadOnlyList<ClipRequest> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(requests);
        var clips = new ClipTensor[requests.Count];
        foreach (var geometry in requests.Select((r, i) => (Request: r, Index: i)).GroupBy(x => (x.Request.View.ResizeShortSide, x.Request.View.CropSize, x.Request.View.Resize)))
        {
            var times = geometry.SelectMany(x => x.Request.FrameTimes).ToList();
            var frames = await DecodeAsync(input, probe, geometry.First().Request.View, times, cancellationToken);
            foreach (var (request, index) in geometry)
            {
                clips[index] = Assemble(request, frames, probe);
            }
        }

        return clips;
    }

    /// <summary>
    /// Short-side resize keeping aspect (even sizes; the long side rounds), then a centre crop. Autorotation happens
    /// before this chain, so iw/ih are the displayed dimensions.
    /// </summary>
    public static string GeometryFilter(FrameView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var s = view.ResizeShortSide;
        return $"scale=w='if(lt(iw,ih),{s},-2)':h='if(lt(iw,ih),-2,{s})':flags=bilinear,crop={view.CropSize}:{view.CropSize}";
    }

    /// <summary>The ffmpeg <c>select</c> expression keeping frames inside <paramref name="keep"/>, times relative to <paramref name="origin"/>.</summary>
    public static string SelectExpression(IReadOnlyList<TimeRange> keep, double origin)
    {
        ArgumentNullException.ThrowIfNull(keep);
        return string.Join('+', keep.Select(k => string.Create(CultureInfo.InvariantCulture,
            $"between(t\\,{k.From - origin:0.######}\\,{k.To - origin:0.######})")));
    }

    private async Task<List<DecodedFrame>> DecodeAsync(MediaInput input, VideoProbe probe, FrameView geometry, List<double> times, CancellationToken cancellationToken)
    {
        var frameSeconds = 1 / probe.Fps;
        var windows = DecodePlanner.Plan(times, frameSeconds, probe.LastFrameSeconds, probe.DurationSeconds, null);
        if (windows.Count > 1)
        {
            // Several ranges: the keyframe index tells which of them share a GOP (decode once) and what each costs.
            var keyframes = await KeyframeIndex.ReadAsync(options.BinaryFolder, input, options.ProcessTimeout, cancellationToken);
            if (keyframes is not null)
            {
                windows = DecodePlanner.Plan(times, frameSeconds, probe.LastFrameSeconds, probe.DurationSeconds, keyframes);
            }
        }

        // Windows are independent (each seeks to its own keyframe): two at a time keep both cores decoding when each
        // window alone is too short for ffmpeg's frame threads to fill them.
        var decoded = new List<DecodedFrame>[windows.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, windows.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.ParallelDecodes), CancellationToken = cancellationToken },
            async (i, ct) => decoded[i] = await DecodeWindowAsync(input, probe, windows[i], geometry, frameSeconds, ct));
        var frames = decoded.SelectMany(d => d).ToList();

        frames.Sort((a, b) => a.Seconds.CompareTo(b.Seconds));
        // A stream ending a little before the container says (audio running longer) is padded from its last frame;
        // frames missing long before the end, or in the middle, are corruption.
        var slack = PadSeconds + (0.05 * probe.DurationSeconds);
        foreach (var keep in windows.SelectMany(w => w.Keep))
        {
            var before = frames.FindLast(f => f.Seconds <= keep.To + Tolerance);
            if (before is null || keep.From - before.Seconds > slack)
            {
                throw new MediaRejectedException(ReasonCodes.DecodeFailed, string.Create(CultureInfo.InvariantCulture,
                    $"No frame could be decoded near {keep.From:0.###}–{keep.To:0.###} s although the probe reports the video lasts {probe.DurationSeconds:0.###} s."));
            }
        }

        return frames;
    }

    /// <summary>The clip's frames: for each time, the latest decoded frame starting at or before it (else the first after).</summary>
    private static ClipTensor Assemble(ClipRequest request, List<DecodedFrame> frames, VideoProbe probe)
    {
        var view = request.View;
        var size = view.CropSize;
        var frameBytes = size * size * ClipTensor.RgbChannels;
        var data = new byte[frameBytes * view.ClipLength];
        // Frames of a reference resize arrive resized but uncropped: this view's window (a centre crop, or one of the
        // test-time crops) is cut here.
        var (width, height) = view.Resize?.OutputSize(probe.Width, probe.Height) ?? (size, size);
        var window = view.Resize?.CropWindows(width, height, size, view.Crops)[view.CropIndex ?? 0];
        var k = 0;
        foreach (var time in request.FrameTimes)
        {
            var at = frames.FindLastIndex(f => f.Seconds <= time + Tolerance);
            var frame = frames[Math.Max(at, 0)].Rgb;
            if (window is { } w)
            {
                frame = ReferenceGeometry.Cut(new RgbImage(width, height, frame), w.Left, w.Top, size, w.Mirror).Pixels;
            }

            frame.CopyTo(data, k++ * frameBytes);
        }

        return new ClipTensor(request.View.ClipLength, size, size, data);
    }

    /// <summary>
    /// One ffmpeg process over <paramref name="window"/>: seek (exact), read to its end, keep the frames in its ranges,
    /// resize and crop, and report each frame's time through <c>showinfo</c>. A shortfall of bytes against the frames
    /// ffmpeg reports is a transient <see cref="FramesLostException"/>; a failing ffmpeg keeps the whole frames it sent.
    /// </summary>
    private async Task<List<DecodedFrame>> DecodeWindowAsync(
        MediaInput input, VideoProbe probe, DecodeWindow window, FrameView geometry, double frameSeconds, CancellationToken cancellationToken)
    {
        var hardware = UsesHardware;
        try
        {
            return await DecodeWindowAsync(input, probe, window, geometry, frameSeconds, hardware, cancellationToken);
        }
        catch (MediaRejectedException ex) when (hardware && ex.ReasonCode == ReasonCodes.DecodeFailed)
        {
            // No GPU decoder here (no device, no driver, a codec NVDEC lacks): the CPU decodes from now on.
            _hardwareFailed = true;
            LogHardwareFallback(logger, options.HardwareDecoding, ex.Detail);
            return await DecodeWindowAsync(input, probe, window, geometry, frameSeconds, false, cancellationToken);
        }
    }

    /// <summary>Whether decodes ask ffmpeg for the GPU (<see cref="MediaOptions.HardwareDecoding"/> is <c>cuda</c> and it has not failed).</summary>
    public bool UsesHardware => !_hardwareFailed && string.Equals(options.HardwareDecoding, "cuda", StringComparison.OrdinalIgnoreCase);

    private async Task<List<DecodedFrame>> DecodeWindowAsync(
        MediaInput input, VideoProbe probe, DecodeWindow window, FrameView geometry, double frameSeconds, bool hardware, CancellationToken cancellationToken)
    {
        var origin = window.StartSeconds;
        var select = window.Keep.Count <= MaxSelectTerms ? $"select='{SelectExpression(window.Keep, origin)}'," : string.Empty;
        List<string> arguments = [.. input.InputArguments];
        if (hardware)
        {
            // Decoded on the GPU, copied back to system memory for the filters below.
            arguments.AddRange(["-hwaccel", "cuda"]);
        }

        if (origin > 0)
        {
            arguments.AddRange(["-ss", origin.ToString("0.######", CultureInfo.InvariantCulture)]);
        }

        arguments.AddRange(["-t", (window.EndSeconds - origin + frameSeconds).ToString("0.######", CultureInfo.InvariantCulture)]);
        arguments.AddRange(
        [
            "-i", input.Url,
            // A reference resize gets the frames at their own size (after autorotation: the probe's displayed size).
            "-vf", geometry.Resize is null ? $"{select}{GeometryFilter(geometry)},showinfo" : $"{select}showinfo",
            "-fps_mode", "passthrough", "-an", "-sn", "-dn", "-pix_fmt", "rgb24", "-f", "rawvideo", "pipe:1",
        ]);
        var outputBytes = geometry.CropSize * geometry.CropSize * ClipTensor.RgbChannels;
        var frameBytes = geometry.Resize is null ? outputBytes : probe.Width * probe.Height * ClipTensor.RgbChannels;
        // A reference resize keeps each frame resized but whole: each view crops its own windows from it.
        using Stream buffer = geometry.Resize is { } resize
            ? new FrameTransformStream(frameBytes, f => ReferenceGeometry.Resize(new RgbImage(probe.Width, probe.Height, f), resize).Pixels)
            : new MemoryStream();
        var times = new List<double>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ProcessTimeout);
        FfmpegRun run;
        try
        {
            run = await FfmpegProcess.RunAsync(options.BinaryFolder, arguments, buffer, timeout.Token, times);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MediaRejectedException(ReasonCodes.DecodeFailed, string.Create(CultureInfo.InvariantCulture,
                $"ffmpeg did not decode {origin:0.###}–{window.EndSeconds:0.###} s within {options.ProcessTimeout.TotalSeconds:0} s."), ex);
        }

        var received = buffer.Length;
        var whole = (int)(received / frameBytes);
        if (run.ExitCode != 0)
        {
            LogDecodeFailed(logger, input.Name, origin, run.ExitCode, string.Join(" | ", run.Errors));
            if (whole == 0)
            {
                throw new MediaRejectedException(ReasonCodes.DecodeFailed, string.Create(CultureInfo.InvariantCulture,
                    $"ffmpeg could not decode frames at {origin:0.###} s (exit {run.ExitCode}): {string.Join(" ", run.Errors.Take(3))}"));
            }
        }
        else if (received % frameBytes != 0 || (run.ReportedFrames is { } reported && reported * frameBytes != received) || times.Count != whole)
        {
            throw new FramesLostException(string.Create(CultureInfo.InvariantCulture,
                $"ffmpeg reported {run.ReportedFrames?.ToString(CultureInfo.InvariantCulture) ?? "no"} frames ({times.Count} timed) from {origin:0.###} s but {received} bytes arrived ({frameBytes} per frame)."));
        }

        var frames = new List<DecodedFrame>(whole);
        for (var i = 0; i < Math.Min(whole, times.Count); i++)
        {
            frames.Add(new DecodedFrame(origin + times[i], buffer is FrameTransformStream transformed
                ? transformed.Frames[i]
                : ((MemoryStream)buffer).GetBuffer().AsSpan(i * outputBytes, outputBytes).ToArray()));
        }

        return frames;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hardware decoding ({Accelerator}) failed, decoding on the CPU from now on: {Reason}")]
    private static partial void LogHardwareFallback(ILogger logger, string accelerator, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ffmpeg failed on {Path} from {Seconds} s with exit code {ExitCode}: {Stderr}")]
    private static partial void LogDecodeFailed(ILogger logger, string path, double seconds, int exitCode, string stderr);
}
