namespace ServerlessVideo.Core.Planning;

/// <summary>A group of consecutive clips of one view: the unit of frame-extraction and inference fan-out.</summary>
public sealed record Segment(int Index, IReadOnlyList<ClipSpan> Clips);
