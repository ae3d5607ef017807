namespace ServerlessVideo.Pipeline.Messages;

/// <summary>Blob names of one segment of one view's clip tensors, in clip order.</summary>
public sealed record ExtractResult(string ViewKey, int SegmentIndex, IReadOnlyList<string> ClipBlobs);
