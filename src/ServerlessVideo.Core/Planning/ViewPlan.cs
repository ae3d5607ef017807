using ServerlessVideo.Core.Manifests;

namespace ServerlessVideo.Core.Planning;

/// <summary>
/// The clips and segments of one view, the models that read it, and the optical flows (one per algorithm and bound)
/// those models need computed from its frames.
/// </summary>
public sealed record ViewPlan(FrameView View, IReadOnlyList<Segment> Segments, IReadOnlyList<string> ModelIds, IReadOnlyList<FlowSpec> Flows)
{
    public int ClipCount => Segments.Sum(s => s.Clips.Count);
}
