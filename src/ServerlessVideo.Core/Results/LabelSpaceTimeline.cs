namespace ServerlessVideo.Core.Results;

/// <summary>The consensus over time of the models of one label space.</summary>
public sealed record LabelSpaceTimeline(string LabelSpace, IReadOnlyList<string> Models, IReadOnlyList<TimelineSegment> Segments);
