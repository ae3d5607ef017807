namespace ServerlessVideo.Core.Planning;

/// <summary>The clips and segments of one view and the models that read it.</summary>
public sealed record ViewPlan(FrameView View, IReadOnlyList<Segment> Segments, IReadOnlyList<string> ModelIds)
{
    public int ClipCount => Segments.Sum(s => s.Clips.Count);
}
