namespace ServerlessVideo.Core.Results;

/// <summary>One model's video-level probabilities (already averaged over clips), index-aligned with <see cref="Labels"/>.</summary>
/// <param name="ModelId">The model.</param>
/// <param name="Weight">Its weight in the consensus.</param>
/// <param name="Labels">Its labels.</param>
/// <param name="Probabilities">Its mean probability per label.</param>
/// <param name="LabelSpace">The space its labels belong to: consensus combines models of one space only (<see cref="Consensus.ByLabelSpace"/>).</param>
public sealed record ModelScores(string ModelId, double Weight, IReadOnlyList<string> Labels, IReadOnlyList<float> Probabilities, string LabelSpace = "");
