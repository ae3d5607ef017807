using System.Globalization;

namespace ServerlessVideo.Media;

/// <summary>
/// Shot boundaries: one ffmpeg pass over every frame at 160 px wide, keeping the frames whose scene-change score
/// (ffmpeg's <c>select</c> <c>scene</c>: how different a frame is from the one before, 0–1) exceeds a threshold. Each
/// cut is the time of the first frame of the new shot, so it is exact to the frame. The score is taken on RGB: on YUV
/// it reads luma only, and a cut between two colours of equal brightness (pure red to mid green) scores 0.
/// </summary>
public sealed class ShotDetector(MediaOptions options)
{
    /// <summary>The start times of every shot after the first, seconds, in order; empty for a video of one shot.</summary>
    public async Task<IReadOnlyList<double>> CutsAsync(MediaInput input, double threshold, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threshold);
        List<string> arguments =
        [
            .. input.InputArguments,
            "-i", input.Url,
            "-an", "-sn", "-dn",
            "-vf", string.Create(CultureInfo.InvariantCulture, $"scale=160:-2:flags=fast_bilinear,format=rgb24,select='gt(scene,{threshold:0.###})',showinfo"),
            "-f", "null", "-",
        ];
        var cuts = new List<double>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ProcessTimeout);
        var run = await FfmpegProcess.RunAsync(options.BinaryFolder, arguments, Stream.Null, timeout.Token, cuts);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"Shot detection failed (ffmpeg exit code {run.ExitCode}): {string.Join(" | ", run.Errors)}");
        }

        return [.. cuts.Where(t => t > 0).Distinct().Order()];
    }
}
