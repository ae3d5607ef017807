using ServerlessVideo.Core.Manifests;

namespace ServerlessVideo.Core.Planning;

/// <summary>
/// The clips and segments of one view, the models that read it, and the optical flows (one per algorithm and bound)
/// those models need computed from its frames.
/// </summary>
/// <remarks>
/// <see cref="Flows"/> is optional so that plans recorded in orchestration histories before flows existed still
/// replay (as no flows).
/// </remarks>
public sealed record ViewPlan(FrameView View, IReadOnlyList<Segment> Segments, IReadOnlyList<string> ModelIds, IReadOnlyList<FlowSpec>? Flows = null)
{
    public int ClipCount => Segments.Sum(s => s.Clips.Count);
}
