namespace ServerlessVideo.Core.Results;

/// <summary>One model's video-level probabilities (already averaged over clips), index-aligned with <see cref="Labels"/>.</summary>
public sealed record ModelScores(string ModelId, double Weight, IReadOnlyList<string> Labels, IReadOnlyList<float> Probabilities);
