namespace ServerlessVideo.Pipeline.Messages;

/// <summary>
/// What the decode produced: the clip tensors written per (view, segment) for inference to fan out over
/// (<paramref name="Parts"/>), or, when the plan is one segment per view, the models' results computed in the same
/// activity from the decoded clips (<paramref name="Inferred"/>, with <paramref name="Parts"/> empty).
/// <paramref name="ExtractMs"/> is the decode's share of the activity. <paramref name="Pictures"/> are the pictures made
/// from the decoded clips (null when off or impossible). <paramref name="Finished"/>: the results were written too (see
/// <see cref="ExtractRequest.Write"/>), and nothing else is returned.
/// </summary>
public sealed record ExtractOutcome(
    IReadOnlyList<ExtractResult> Parts, double ExtractMs, IReadOnlyList<InferResult>? Inferred = null, VideoPictures? Pictures = null, FinishOutcome? Finished = null);
