namespace ServerlessVideo.Core.Results;

/// <summary>A stretch of the video, seconds, and its best labels.</summary>
public sealed record TimelineSegment(double Start, double End, IReadOnlyList<LabelScore> Labels);
