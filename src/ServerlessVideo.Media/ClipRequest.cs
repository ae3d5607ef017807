using ServerlessVideo.Core.Planning;

namespace ServerlessVideo.Media;

/// <summary>One clip of one view wanted from a video: <c>ClipLength</c> frames at <c>Clip.StartSeconds + k / Fps</c>.</summary>
public sealed record ClipRequest(FrameView View, ClipSpan Clip)
{
    /// <summary>The time of each of the clip's frames, seconds from the start of the video.</summary>
    public IEnumerable<double> FrameTimes => Clip.Times ?? Enumerable.Range(0, View.ClipLength).Select(k => Clip.StartSeconds + (k / View.Fps));
}
