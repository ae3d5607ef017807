using ServerlessVideo.Core.Results;

namespace ServerlessVideo.Pipeline.Api;

/// <summary>
/// <c>GET /api/videos/{id}/timeline</c>: <see cref="Segments"/> is the video's answer over time (the consensus of the
/// first label space, neighbouring clips that agree merged); <see cref="Spaces"/> has one such timeline per label space;
/// <see cref="Models"/> has every model's clips with their best labels. <see cref="KeyFrames"/> and <see cref="Flows"/>
/// point at the pictures kept with the video.
/// </summary>
public sealed record TimelineResource(
    string Id,
    double DurationSeconds,
    string LabelSpace,
    IReadOnlyList<TimelineSegment> Segments,
    IReadOnlyList<LabelSpaceTimeline> Spaces,
    IReadOnlyList<ModelClipsResource> Models)
{
    /// <summary>The key-frame strip; null when the video has none (pictures off).</summary>
    public KeyFramesResource? KeyFrames { get; init; }

    /// <summary>One flow picture per optical flow the models read.</summary>
    public IReadOnlyList<FlowPictureResource> Flows { get; init; } = [];
}

/// <summary>A JPEG of frames side by side (<see cref="Href"/>), tile i of <see cref="TileWidth"/> pixels showing the frame at <see cref="Times"/>[i] s.</summary>
public sealed record KeyFramesResource(string Href, int TileWidth, int TileHeight, IReadOnlyList<double> Times);

/// <summary>A PNG of optical flow <see cref="Flow"/> from the frame at <see cref="Time"/> s to the next, in view <see cref="View"/>, read by <see cref="Models"/>.</summary>
public sealed record FlowPictureResource(string Href, string Flow, string View, double Time, IReadOnlyList<string> Models);

/// <summary>One model's clips: where each lies, seconds, and its best labels there.</summary>
public sealed record ModelClipsResource(string Id, string LabelSpace, IReadOnlyList<TimelineSegment> Clips);

/// <summary>
/// <c>GET /api/videos/{id}/shots</c>: the video cut at its shot boundaries, each shot with the consensus of the clips
/// over it in the answer's label space. <see cref="Detected"/> is false when shot detection was off for the video: then
/// the one shot is the whole video.
/// </summary>
public sealed record ShotsResource(string Id, double DurationSeconds, string LabelSpace, bool Detected, IReadOnlyList<TimelineSegment> Shots);
