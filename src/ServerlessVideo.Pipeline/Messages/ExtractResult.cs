namespace ServerlessVideo.Pipeline.Messages;

/// <summary>Blob names of the clip tensors written, in clip order.</summary>
public sealed record ExtractResult(string ViewKey, int SegmentIndex, IReadOnlyList<string> ClipBlobs, double ElapsedMs);
