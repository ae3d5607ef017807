using ServerlessVideo.Core.Planning;
using ServerlessVideo.Core.Tensors;
using ServerlessVideo.Media;

namespace ServerlessVideo.Pipeline.Activities;

/// <summary>Every clip a plan decodes, with its view and segment, and the decoded clips grouped back per (view, segment).</summary>
public static class PlannedClips
{
    /// <summary>One clip the plan wants: its view, its segment's index and its span.</summary>
    public sealed record Wanted(ViewPlan View, int Segment, ClipSpan Clip);

    /// <summary>One (view, segment)'s decoded clips, in plan order.</summary>
    public sealed record Part(ViewPlan View, int Segment, IReadOnlyList<ClipTensor> Clips);

    /// <summary>The plan's clips, view by view and segment by segment: the order of the decode's requests and results.</summary>
    public static List<Wanted> Of(VideoPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return [.. from view in plan.Views from segment in view.Segments from clip in segment.Clips select new Wanted(view, segment.Index, clip)];
    }

    /// <summary>The decode's requests for <paramref name="wanted"/>.</summary>
    public static List<ClipRequest> Requests(IReadOnlyList<Wanted> wanted) => [.. wanted.Select(w => new ClipRequest(w.View.View, w.Clip))];

    /// <summary>Each wanted clip with its decoded tensor (the decode returns them in request order).</summary>
    public static List<(ViewPlan View, ClipSpan Span, ClipTensor Clip)> Decoded(IReadOnlyList<Wanted> wanted, IReadOnlyList<ClipTensor> tensors) =>
        [.. wanted.Select((w, i) => (w.View, w.Clip, tensors[i]))];

    /// <summary>The decoded clips grouped per (view, segment).</summary>
    public static List<Part> Parts(IReadOnlyList<Wanted> wanted, IReadOnlyList<ClipTensor> tensors) =>
        [.. wanted.Select((w, i) => (w.View, w.Segment, Tensor: tensors[i]))
            .GroupBy(p => (p.View, p.Segment))
            .Select(g => new Part(g.Key.View, g.Key.Segment, [.. g.Select(p => p.Tensor)]))];
}
