namespace ServerlessVideo.Pipeline.Messages;

/// <summary>
/// One model's run over one segment: its per-clip probabilities, carried in the message when they are small
/// (<paramref name="Scores"/>) or else in the blob <paramref name="ScoresBlob"/> shared by every model of that
/// (view, segment) (an object keyed by model id); what ran it and for how long. <paramref name="Error"/> is why the model
/// failed on this segment (then it has no scores): the video completes with the other models.
/// </summary>
public sealed record InferResult(
    string ModelId, int SegmentIndex, string? ScoresBlob, string Provider, int ClipCount, double ElapsedMs, float[][]? Scores = null, string? Error = null);
