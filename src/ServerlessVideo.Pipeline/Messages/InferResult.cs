namespace ServerlessVideo.Pipeline.Messages;

/// <summary>Where one model's per-clip probabilities for one segment were written, and what ran them.</summary>
public sealed record InferResult(string ModelId, int SegmentIndex, string ScoresBlob, string Provider, int ClipCount, double ElapsedMs);
