namespace ServerlessVideo.Pipeline.Messages;

/// <summary>Output of the video orchestration: small on purpose, the full result lives in Table storage.</summary>
public sealed record VideoOutcome(string VideoId, string Status, string? TopLabel, double? Confidence, VideoFailure? Failure);
