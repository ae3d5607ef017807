using System.Diagnostics;
using System.Globalization;
using FFMpegCore;

namespace ServerlessVideo.Media;

/// <summary>
/// Runs ffmpeg as a child process whose output this code owns. Standard output is read to its end before the run is
/// judged, so no byte ffmpeg wrote is dropped: FFMpegCore's pipe sinks stop reading when the process exits, which under
/// CPU load lost whole frames while ffmpeg reported success. ffmpeg also reports, on standard error through
/// <c>-progress</c>, how many frames it wrote, so a caller can tell "no frame there" from "frames lost on the way".
/// </summary>
public static class FfmpegProcess
{
    private static readonly System.Buffers.SearchValues<char> KeyChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789_");

    /// <summary>Lines of ffmpeg's error log kept for messages.</summary>
    public const int KeptErrorLines = 20;

    /// <summary>
    /// Runs ffmpeg with <paramref name="arguments"/> (which must write to <c>pipe:1</c> if they produce output), copying
    /// its standard output into <paramref name="output"/>. Cancelling kills the process; the cancellation propagates.
    /// When <paramref name="frameTimes"/> is given, ffmpeg logs at info level and the <c>pts_time</c> of every frame a
    /// <c>showinfo</c> filter in the arguments sees is added to it, in order.
    /// </summary>
    public static async Task<FfmpegRun> RunAsync(
        string? binaryFolder, IEnumerable<string> arguments, Stream output, CancellationToken cancellationToken, ICollection<double>? frameTimes = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        var start = new ProcessStartInfo(GlobalFFOptions.GetFFMpegBinaryPath(new FFOptions { BinaryFolder = binaryFolder ?? string.Empty }))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // No prompts, no banner, errors only, and a machine-readable progress report on stderr instead of the stats line.
        // With frame times wanted, every line carries its level ("[info]", "[error]") so the two can be told apart.
        var level = frameTimes is null ? "error" : "level+info";
        foreach (var a in (string[])["-nostdin", "-hide_banner", "-nostats", "-loglevel", level, "-progress", "pipe:2"])
        {
            start.ArgumentList.Add(a);
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start.");
        process.StandardInput.Close();
        var errors = new List<string>();
        long? frames = null;
        try
        {
            var stderr = Task.Run(async () =>
            {
                while (await process.StandardError.ReadLineAsync(cancellationToken) is { } line)
                {
                    if (line.StartsWith("frame=", StringComparison.Ordinal)
                        && long.TryParse(line.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                    {
                        frames = n;
                    }
                    else if (frameTimes is not null && ShowinfoTime(line) is { } time)
                    {
                        frameTimes.Add(time);
                    }
                    else if (!IsProgressLine(line) && (frameTimes is null || IsErrorLine(line)) && errors.Count < KeptErrorLines)
                    {
                        errors.Add(line);
                    }
                }
            }, cancellationToken);
            var counting = new CountingStream(output);
            await process.StandardOutput.BaseStream.CopyToAsync(counting, cancellationToken);
            await stderr;
            await process.WaitForExitAsync(cancellationToken);
            return new FfmpegRun(process.ExitCode, counting.Written, frames, errors);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw;
        }
    }

    /// <summary><c>key=value</c> lines of the <c>-progress</c> report (frame=, out_time_us=, progress=end …).</summary>
    private static bool IsProgressLine(string line)
    {
        var eq = line.IndexOf('=', StringComparison.Ordinal);
        return eq > 0 && !line.AsSpan(0, eq).ContainsAnyExcept(KeyChars);
    }

    /// <summary>The <c>pts_time</c> of a <c>showinfo</c> frame line, seconds; null for any other line.</summary>
    public static double? ShowinfoTime(string line)
    {
        const string Key = "pts_time:";
        if (!line.Contains("Parsed_showinfo", StringComparison.Ordinal) || !line.Contains(" n:", StringComparison.Ordinal))
        {
            return null;
        }

        var at = line.IndexOf(Key, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var value = line.AsSpan(at + Key.Length).TrimStart();
        var end = value.IndexOf(' ');
        return double.TryParse(end < 0 ? value : value[..end], NumberStyles.Float, CultureInfo.InvariantCulture, out var t) ? t : null;
    }

    private static bool IsErrorLine(string line) =>
        line.Contains("[error]", StringComparison.Ordinal) || line.Contains("[fatal]", StringComparison.Ordinal)
        || line.Contains("[panic]", StringComparison.Ordinal);

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Counts what passes through to the caller's stream.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long Written { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            Written += count;
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await inner.WriteAsync(buffer, cancellationToken);
            Written += buffer.Length;
        }
    }
}
