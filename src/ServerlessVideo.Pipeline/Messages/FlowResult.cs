namespace ServerlessVideo.Pipeline.Messages;

/// <summary>Blob names of the flow tensors written, in clip order.</summary>
public sealed record FlowResult(string ViewKey, string FlowKey, int SegmentIndex, IReadOnlyList<string> ClipBlobs, double ElapsedMs);
