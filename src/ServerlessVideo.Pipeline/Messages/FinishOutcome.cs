namespace ServerlessVideo.Pipeline.Messages;

/// <summary>The stored outcome, and the queued videos this one's slot went to (the orchestration wakes them).</summary>
public sealed record FinishOutcome(VideoOutcome Outcome, IReadOnlyList<string> Admitted);
