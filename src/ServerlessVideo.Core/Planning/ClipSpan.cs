namespace ServerlessVideo.Core.Planning;

/// <summary>One clip of a view: its index and where it starts, seconds.</summary>
public sealed record ClipSpan(int Index, double StartSeconds)
{
    /// <summary>
    /// The time of each frame when a reference's sampling picks frame indices that are not evenly spaced from the start
    /// (each frame's middle, so the frame on screen is that index); null for <c>StartSeconds + k / fps</c>.
    /// </summary>
    public IReadOnlyList<double>? Times { get; init; }

    /// <summary>
    /// The part of the video the clip shows, seconds: from its first frame to the end of its last (each frame lasting
    /// one sampling interval of <paramref name="view"/>), within [0, <paramref name="durationSeconds"/>].
    /// </summary>
    public (double Start, double End) Extent(FrameView view, double durationSeconds)
    {
        ArgumentNullException.ThrowIfNull(view);
        var (start, end) = Times is { Count: > 0 } times
            ? (times[0] - (0.5 / view.Fps), times[^1] + (0.5 / view.Fps))
            : (StartSeconds, StartSeconds + view.ClipSeconds);
        var limit = Math.Max(durationSeconds, 0);
        start = Math.Clamp(start, 0, limit);
        return (start, Math.Clamp(end, start, Math.Max(limit, start)));
    }
}
