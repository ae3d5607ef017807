namespace ServerlessVideo.Pipeline.Messages;

/// <summary>One look over the admission table by the admission watch, asked for at <paramref name="At"/> (the orchestration's clock).</summary>
public sealed record SweepRequest(DateTime At);
