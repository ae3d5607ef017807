namespace ServerlessVideo.Pipeline.Messages;

/// <summary>
/// One model's run over one segment: the blob holding the per-clip probabilities of every model of that (view, segment)
/// (an object keyed by model id), what ran it and for how long.
/// </summary>
public sealed record InferResult(string ModelId, int SegmentIndex, string ScoresBlob, string Provider, int ClipCount, double ElapsedMs);
