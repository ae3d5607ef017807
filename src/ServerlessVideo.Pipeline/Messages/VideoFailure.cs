namespace ServerlessVideo.Pipeline.Messages;

/// <summary>Why a video was not classified: a <see cref="Core.ReasonCodes"/> value and a message for people.</summary>
public sealed record VideoFailure(string ReasonCode, string Message);
