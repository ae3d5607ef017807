namespace ServerlessVideo.Pipeline.Messages;

/// <summary>The blob holding one segment of one view's clip tensors, in clip order, and how many there are.</summary>
public sealed record ExtractResult(string ViewKey, int SegmentIndex, string ClipsBlob, int ClipCount);
