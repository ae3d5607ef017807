namespace ServerlessVideo.Core.Results;

/// <summary>One clip of one model: the part of the video it saw, seconds, and its probability per label.</summary>
public sealed record ClipScores(double Start, double End, float[] Probabilities);
