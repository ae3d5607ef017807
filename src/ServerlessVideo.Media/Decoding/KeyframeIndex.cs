using System.Diagnostics;
using System.Globalization;
using FFMpegCore;

namespace ServerlessVideo.Media.Decoding;

/// <summary>
/// The video stream's keyframe times, read from the container's packets (no decoding): where a decode that seeks must
/// start. Times are seconds from the start of the video (the container's start time subtracted).
/// </summary>
public static class KeyframeIndex
{
    /// <summary>Reads the index; null when ffprobe cannot give it (the planner then assumes nothing about GOPs).</summary>
    public static async Task<IReadOnlyList<double>?> ReadAsync(string? binaryFolder, string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(GlobalFFOptions.GetFFProbeBinaryPath(new FFOptions { BinaryFolder = binaryFolder ?? string.Empty }))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])
            [
                "-v", "error", .. InputSafety.InputArgumentList, "-select_streams", "v:0",
                "-show_entries", "packet=pts_time,flags:format=start_time", "-of", "csv=p=0", InputSafety.FileUrl(path),
            ])
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("ffprobe did not start.");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            var stderr = process.StandardError.ReadToEndAsync(limit.Token);
            var text = await process.StandardOutput.ReadToEndAsync(limit.Token);
            await stderr;
            await process.WaitForExitAsync(limit.Token);
            return process.ExitCode == 0 ? Parse(text) : null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            return null;
        }
    }

    /// <summary>
    /// Parses <c>pts_time,flags</c> packet lines and the format's <c>start_time</c> line. Null when a keyframe has no
    /// time or there is none.
    /// </summary>
    public static IReadOnlyList<double>? Parse(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var keyframes = new List<double>();
        var origin = 0.0;
        foreach (var line in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var comma = line.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0)
            {
                // The format section: its start time is the origin of "seconds from the start".
                origin = double.TryParse(line, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : 0;
                continue;
            }

            if (!line.AsSpan(comma + 1).StartsWith("K"))
            {
                continue;
            }

            if (!double.TryParse(line.AsSpan(0, comma), NumberStyles.Float, CultureInfo.InvariantCulture, out var t))
            {
                return null;
            }

            keyframes.Add(t);
        }

        if (keyframes.Count == 0)
        {
            return null;
        }

        return [.. keyframes.Select(k => Math.Max(0, k - origin)).Order()];
    }
}
