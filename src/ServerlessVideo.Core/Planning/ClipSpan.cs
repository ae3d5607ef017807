namespace ServerlessVideo.Core.Planning;

/// <summary>One clip of a view: its index and where it starts, seconds.</summary>
public sealed record ClipSpan(int Index, double StartSeconds)
{
    /// <summary>
    /// The time of each frame when a reference's sampling picks frame indices that are not evenly spaced from the start
    /// (each frame's middle, so the frame on screen is that index); null for <c>StartSeconds + k / fps</c>.
    /// </summary>
    public IReadOnlyList<double>? Times { get; init; }
}
