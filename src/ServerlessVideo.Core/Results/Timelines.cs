namespace ServerlessVideo.Core.Results;

/// <summary>
/// Labels over time from the models' clips: the video is cut at every clip's start and end, each piece gets the
/// weighted consensus (<see cref="Consensus.WeightedMean"/>) of what each model's clips say about it, and neighbouring
/// pieces with the same best label are merged.
/// </summary>
public static class Timelines
{
    /// <summary>Boundaries closer than this (seconds) are one.</summary>
    private const double Epsilon = 1e-3;

    /// <summary>One timeline per label space, in the order of <see cref="Consensus.ByLabelSpace"/> (the video's answer first).</summary>
    public static IReadOnlyList<LabelSpaceTimeline> ByLabelSpace(IReadOnlyList<ModelTimeline> models, double durationSeconds, int k) =>
        [.. Consensus.BySpace(models, m => m.LabelSpace, m => m.Weight)
            .Select(g => new LabelSpaceTimeline(g.Key, [.. g.Select(m => m.ModelId)], Segments([.. g], durationSeconds, k)))];

    /// <summary>
    /// Consecutive segments covering [0, <paramref name="durationSeconds"/>] for models of one label space, each with
    /// its <paramref name="k"/> best labels; no two neighbours share a best label.
    /// </summary>
    public static IReadOnlyList<TimelineSegment> Segments(IReadOnlyList<ModelTimeline> models, double durationSeconds, int k)
    {
        ArgumentOutOfRangeException.ThrowIfZero(models.Count);
        var end = Math.Max(durationSeconds, models.SelectMany(m => m.Clips).Select(c => c.End).DefaultIfEmpty(0).Max());
        var cuts = models.SelectMany(m => m.Clips).SelectMany(c => new[] { c.Start, c.End })
            .Append(0).Append(end)
            .Select(t => Math.Round(Math.Clamp(t, 0, end), 3))
            .Distinct()
            .Order()
            .ToList();
        var pieces = new List<(double Start, double End, IReadOnlyList<LabelScore> Scores)>();
        for (var i = 1; i < cuts.Count; i++)
        {
            if (cuts[i] - cuts[i - 1] >= Epsilon)
            {
                pieces.Add((cuts[i - 1], cuts[i], Over(models, cuts[i - 1], cuts[i])));
            }
        }

        if (pieces.Count == 0)
        {
            // A video with no length: one segment at 0 from every clip.
            return [new TimelineSegment(0, end, Top(Over(models, 0, end), k))];
        }

        var segments = new List<TimelineSegment>();
        var run = new List<(double Start, double End, IReadOnlyList<LabelScore> Scores)>();
        foreach (var piece in pieces)
        {
            if (run.Count > 0 && Best(run[^1].Scores) != Best(piece.Scores))
            {
                segments.Add(Merge(run, k));
                run.Clear();
            }

            run.Add(piece);
        }

        segments.Add(Merge(run, k));
        return segments;
    }

    /// <summary>
    /// The consensus of models of one label space over [<paramref name="start"/>, <paramref name="end"/>): each model's
    /// clips overlapping it, weighted by how much they overlap (or its nearest clip when none does), then combined
    /// across models by consensus weight. Every label, in first-met order.
    /// </summary>
    public static IReadOnlyList<LabelScore> Over(IReadOnlyList<ModelTimeline> models, double start, double end)
    {
        ArgumentOutOfRangeException.ThrowIfZero(models.Count);
        return Consensus.WeightedMean([.. models.Select(m => new ModelScores(m.ModelId, m.Weight, m.Labels, ModelOver(m, start, end), m.LabelSpace))]);
    }

    /// <summary>The <paramref name="k"/> best of a distribution, rounded as results are.</summary>
    public static IReadOnlyList<LabelScore> Top(IReadOnlyList<LabelScore> scores, int k) =>
        [.. scores.Select((s, i) => (s, i))
            .OrderByDescending(x => x.s.Confidence)
            .ThenBy(x => x.i)
            .Take(k)
            .Select(x => x.s with { Confidence = Math.Round(x.s.Confidence, 6) })];

    private static float[] ModelOver(ModelTimeline model, double start, double end)
    {
        ArgumentOutOfRangeException.ThrowIfZero(model.Clips.Count);
        var sum = new double[model.Labels.Count];
        var total = 0.0;
        // Clips are in start order: only those starting before the end, and less than the longest clip before the start, can overlap.
        var longest = model.Clips.Max(c => c.End - c.Start);
        for (var i = FirstStartingAtOrAfter(model.Clips, end) - 1; i >= 0 && model.Clips[i].Start > start - longest - Epsilon; i--)
        {
            var clip = model.Clips[i];
            var overlap = Math.Min(end, clip.End) - Math.Max(start, clip.Start);
            if (overlap > 0)
            {
                Add(sum, clip.Probabilities, overlap);
                total += overlap;
            }
        }

        if (total <= 0)
        {
            var nearest = model.Clips.MinBy(c => Math.Max(0, Math.Max(c.Start - end, start - c.End)))!;
            Add(sum, nearest.Probabilities, 1);
            total = 1;
        }

        return [.. sum.Select(v => (float)(v / total))];
    }

    private static int FirstStartingAtOrAfter(IReadOnlyList<ClipScores> clips, double time)
    {
        int lo = 0, hi = clips.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (clips[mid].Start < time)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static void Add(double[] sum, float[] probabilities, double weight)
    {
        if (probabilities.Length != sum.Length)
        {
            throw new ArgumentException($"A clip has {probabilities.Length} scores for {sum.Length} labels.", nameof(probabilities));
        }

        for (var i = 0; i < sum.Length; i++)
        {
            sum[i] += weight * probabilities[i];
        }
    }

    private static string Best(IReadOnlyList<LabelScore> scores) => Top(scores, 1)[0].Label;

    private static TimelineSegment Merge(List<(double Start, double End, IReadOnlyList<LabelScore> Scores)> run, int k)
    {
        var length = run.Sum(p => p.End - p.Start);
        var merged = run[0].Scores
            .Select((s, i) => s with { Confidence = run.Sum(p => (p.End - p.Start) * p.Scores[i].Confidence) / length })
            .ToList();
        return new TimelineSegment(run[0].Start, run[^1].End, Top(merged, k));
    }
}
