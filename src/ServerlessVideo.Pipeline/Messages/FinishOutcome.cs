namespace ServerlessVideo.Pipeline.Messages;

/// <summary>The stored outcome, and the queued videos this one's slot went to (the activity started or woke them).</summary>
public sealed record FinishOutcome(VideoOutcome Outcome, IReadOnlyList<string> Admitted);
