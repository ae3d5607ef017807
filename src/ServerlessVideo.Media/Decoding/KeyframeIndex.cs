using System.Globalization;
using System.Text;

namespace ServerlessVideo.Media.Decoding;

/// <summary>
/// The video stream's keyframe times: where a decode that seeks must start. Read without decoding, by copying the
/// stream's keyframe packets to ffmpeg's <c>framecrc</c> listing: <c>-discard nokey</c> lets demuxers that index their
/// samples (mp4/mov) skip the other packets unread (for a 60 s 1080p file, 4 MB of 266 MB are read, which is what
/// makes the index affordable over range requests), and the <c>noise=drop=not(key)</c> bitstream filter drops them
/// for demuxers that read everything. Times are seconds from the start of the video (ffmpeg subtracts the
/// container's start time). The mp4 demuxer's presentation times of the packets it keeps are wrong when it skips the
/// others (their composition offsets are not skipped with them), its decode times right, so a keyframe's time is its
/// decode time plus the first keyframe's reorder delay (the same for every keyframe of an encoder's fixed GOP
/// structure). The index only plans decodes: frames are still found by ffmpeg's own seek and their shown times.
/// </summary>
public static class KeyframeIndex
{
    /// <summary>Reads the index; null when ffmpeg cannot give it (the planner then assumes nothing about GOPs).</summary>
    public static async Task<IReadOnlyList<double>?> ReadAsync(string? binaryFolder, MediaInput input, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var listing = new MemoryStream();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            var run = await FfmpegProcess.RunAsync(binaryFolder,
                [
                    .. input.InputArguments, "-discard", "nokey", "-i", input.Url,
                    "-map", "0:v:0", "-c", "copy", "-bsf:v", "noise=drop=not(key)", "-f", "framecrc", "pipe:1",
                ],
                listing, limit.Token);
            return run.ExitCode == 0 ? Parse(Encoding.ASCII.GetString(listing.GetBuffer(), 0, (int)listing.Length)) : null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Past the time limit (the run was killed): plan without the index.
            return null;
        }
    }

    /// <summary>
    /// Parses a <c>framecrc</c> listing of keyframe packets: the <c>#tb 0: N/D</c> time base, then
    /// <c>stream, dts, pts, duration, size, crc</c> lines; each time is dts + (pts − dts of the first). Null when the
    /// time base or a keyframe's time is missing, or there is no keyframe.
    /// </summary>
    public static IReadOnlyList<double>? Parse(string framecrc)
    {
        ArgumentNullException.ThrowIfNull(framecrc);
        double? timeBase = null;
        var keyframes = new List<double>();
        long? delay = null;
        foreach (var line in framecrc.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("#tb 0:", StringComparison.Ordinal))
            {
                var parts = line["#tb 0:".Length..].Trim().Split('/');
                if (parts.Length == 2 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var num)
                    && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var den) && num > 0 && den > 0)
                {
                    timeBase = (double)num / den;
                }

                continue;
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split(',', StringSplitOptions.TrimEntries);
            if (timeBase is null || fields.Length < 3
                || !long.TryParse(fields[1], CultureInfo.InvariantCulture, out var dts) || dts == long.MinValue
                || !long.TryParse(fields[2], CultureInfo.InvariantCulture, out var pts) || pts == long.MinValue)
            {
                return null;
            }

            delay ??= pts - dts;
            keyframes.Add((dts + delay.Value) * timeBase.Value);
        }

        return keyframes.Count == 0 ? null : [.. keyframes.Select(k => Math.Max(0, k)).Order()];
    }
}
