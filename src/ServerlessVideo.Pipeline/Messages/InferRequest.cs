namespace ServerlessVideo.Pipeline.Messages;

/// <summary>Run one model over the clip tensors of one segment.</summary>
public sealed record InferRequest(string VideoId, string ModelId, int SegmentIndex, IReadOnlyList<string> ClipBlobs);
