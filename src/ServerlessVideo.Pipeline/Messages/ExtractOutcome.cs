namespace ServerlessVideo.Pipeline.Messages;

/// <summary>The clip tensors written, per (view, segment), and how long the decode took.</summary>
public sealed record ExtractOutcome(IReadOnlyList<ExtractResult> Parts, double ElapsedMs);
