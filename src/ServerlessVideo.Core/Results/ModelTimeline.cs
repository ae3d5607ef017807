namespace ServerlessVideo.Core.Results;

/// <summary>One model's clips over a video, in time order, index-aligned with <see cref="Labels"/>.</summary>
/// <param name="ModelId">The model.</param>
/// <param name="Weight">Its weight in the consensus.</param>
/// <param name="Labels">Its labels.</param>
/// <param name="LabelSpace">The space of its labels: only models of one space are combined.</param>
/// <param name="Clips">Its clips.</param>
public sealed record ModelTimeline(string ModelId, double Weight, IReadOnlyList<string> Labels, string LabelSpace, IReadOnlyList<ClipScores> Clips);
