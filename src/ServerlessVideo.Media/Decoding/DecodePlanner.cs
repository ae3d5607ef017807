namespace ServerlessVideo.Media.Decoding;

/// <summary>
/// Turns every frame time the views of a video need into the fewest decodes that cover them, each range decoded once.
/// A needed time <c>τ</c> is served by the frame on screen at <c>τ</c> (the latest frame starting at or before it), so
/// each time keeps the frames from 1.5 source-frame intervals before it to half an interval after. Ranges whose
/// decodes would overlap (the next one's keyframe lies inside the current range) or that lie close together are merged;
/// when the merged ranges would cost most of a full pass, the plan is one full pass. Pure.
/// </summary>
public static class DecodePlanner
{
    /// <summary>Ranges closer than this without a keyframe index are decoded in one process: a seek and a process
    /// start cost about as much as decoding this much short-GOP video.</summary>
    public const double MergeGapSeconds = 2.0;

    /// <summary>With the keyframe index known, ranges closer than this still merge (process start-up).</summary>
    public const double MinGapSeconds = 0.5;

    /// <summary>When ranges would decode at least this share of the video, one pass from the start is cheaper.</summary>
    public const double FullPassShare = 0.8;

    /// <param name="times">Every frame time needed, seconds from the start, any order, repeats allowed.</param>
    /// <param name="frameSeconds">The source's frame interval (1 / fps).</param>
    /// <param name="lastFrameSeconds">When the last frame starts: later times are served by it.</param>
    /// <param name="durationSeconds">The video's duration.</param>
    /// <param name="keyframes">Keyframe times in order, or null when not known.</param>
    public static IReadOnlyList<DecodeWindow> Plan(
        IEnumerable<double> times, double frameSeconds, double lastFrameSeconds, double durationSeconds, IReadOnlyList<double>? keyframes)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameSeconds);
        var keeps = Merge(times
            .Select(t => Math.Clamp(t, 0, lastFrameSeconds))
            .Order()
            .Select(t => new TimeRange(Math.Max(0, t - (1.5 * frameSeconds)), t + (0.5 * frameSeconds))));
        if (keeps.Count == 0)
        {
            return [];
        }

        var windows = new List<DecodeWindow>();
        var current = new List<TimeRange> { keeps[0] };
        foreach (var keep in keeps.Skip(1))
        {
            var end = current[^1].To;
            var gap = keep.From - end;
            var sameDecode = keyframes is null
                ? gap <= MergeGapSeconds
                : gap <= MinGapSeconds || KeyframeAtOrBefore(keyframes, keep.From) <= end;
            if (!sameDecode)
            {
                windows.Add(Window(current, keyframes));
                current = [];
            }

            current.Add(keep);
        }

        windows.Add(Window(current, keyframes));
        var cost = windows.Sum(w => w.DecodedSeconds);
        if (windows.Count > 1 && cost >= FullPassShare * durationSeconds)
        {
            return [new DecodeWindow(0, keeps[^1].To, 0, keeps)];
        }

        return windows;
    }

    /// <summary>The latest keyframe at or before <paramref name="time"/> (0 when none is).</summary>
    public static double KeyframeAtOrBefore(IReadOnlyList<double> keyframes, double time)
    {
        ArgumentNullException.ThrowIfNull(keyframes);
        var best = 0.0;
        foreach (var k in keyframes)
        {
            if (k > time + 1e-6)
            {
                break;
            }

            best = k;
        }

        return best;
    }

    private static DecodeWindow Window(List<TimeRange> keeps, IReadOnlyList<double>? keyframes)
    {
        var start = keeps[0].From;
        return new DecodeWindow(start, keeps[^1].To, keyframes is null ? start : KeyframeAtOrBefore(keyframes, start), keeps);
    }

    private static List<TimeRange> Merge(IEnumerable<TimeRange> sorted)
    {
        var merged = new List<TimeRange>();
        foreach (var r in sorted)
        {
            if (merged.Count > 0 && r.From <= merged[^1].To)
            {
                merged[^1] = merged[^1] with { To = Math.Max(merged[^1].To, r.To) };
            }
            else
            {
                merged.Add(r);
            }
        }

        return merged;
    }
}
