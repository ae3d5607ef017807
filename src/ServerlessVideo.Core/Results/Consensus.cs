using System.Numerics.Tensors;

namespace ServerlessVideo.Core.Results;

/// <summary>Consensus over clips (one model) and over models (one video).</summary>
public static class Consensus
{
    /// <summary>The answer of a consensus below the open-set threshold: none of the labels it knows.</summary>
    public const string Unknown = "unknown";

    /// <summary>
    /// Mean of per-clip probability vectors: the video-level score of a model, as TSN and mmaction2's
    /// <c>average_clips='prob'</c> compute it.
    /// </summary>
    public static float[] MeanOverClips(IReadOnlyList<float[]> clipProbabilities)
    {
        ArgumentOutOfRangeException.ThrowIfZero(clipProbabilities.Count);
        var n = clipProbabilities[0].Length;
        var sum = new float[n];
        foreach (var p in clipProbabilities)
        {
            if (p.Length != n)
            {
                throw new ArgumentException("All clips must have the same number of classes.", nameof(clipProbabilities));
            }

            TensorPrimitives.Add(sum, p, sum);
        }

        TensorPrimitives.Divide(sum, clipProbabilities.Count, sum);
        return sum;
    }

    /// <summary>The <paramref name="k"/> best labels of one probability vector.</summary>
    public static IReadOnlyList<LabelScore> TopK(IReadOnlyList<string> labels, IReadOnlyList<float> probabilities, int k) =>
        Enumerable.Range(0, probabilities.Count)
            .OrderByDescending(i => probabilities[i])
            .ThenBy(i => i)
            .Take(k)
            .Select(i => new LabelScore(labels[i], Math.Round(probabilities[i], 6)))
            .ToList();

    /// <summary>
    /// One consensus per label space (<see cref="ModelScores.LabelSpace"/>): scores of different spaces are never averaged
    /// together, nor do their top labels vote against each other. The first block is the video's main answer: the space
    /// with the greatest total consensus weight, then the most models, then by name.
    /// </summary>
    public static IReadOnlyList<LabelSpaceConsensus> ByLabelSpace(IReadOnlyList<ModelScores> models, int k)
    {
        ArgumentOutOfRangeException.ThrowIfZero(models.Count);
        return [.. BySpace(models, m => m.LabelSpace, m => m.Weight)
            .Select(g => new LabelSpaceConsensus(g.Key, [.. g.Select(m => m.ModelId)], AcrossModels([.. g], k)))];
    }

    /// <summary>
    /// Groups by label space, the video's answer first: the space with the greatest total consensus weight, then the
    /// most models, then by name.
    /// </summary>
    public static IEnumerable<IGrouping<string, T>> BySpace<T>(IEnumerable<T> items, Func<T, string> space, Func<T, double> weight) =>
        items
            .GroupBy(space, StringComparer.Ordinal)
            .OrderByDescending(g => g.Sum(m => Math.Max(weight(m), 0)))
            .ThenByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal);

    /// <summary>
    /// Combines models of one label space by label name (models may have different label sets; a label a model lacks scores 0 for it):
    /// weighted mean probability, majority vote of top-1 labels, and the agreement of that vote.
    /// </summary>
    public static ConsensusResult AcrossModels(IReadOnlyList<ModelScores> models, int k)
    {
        var distribution = WeightedMean(models);
        var top = distribution
            .Select((score, i) => (score, i))
            .OrderByDescending(x => x.score.Confidence)
            .ThenBy(x => x.i)
            .Take(k)
            .Select(x => x.score with { Confidence = Math.Round(x.score.Confidence, 6) })
            .ToList();
        var weighted = distribution.ToDictionary(s => s.Label, s => s.Confidence, StringComparer.Ordinal);

        var votes = models
            .Select(m => m.Labels[TensorPrimitives.IndexOfMax(m.Probabilities.ToArray())])
            .GroupBy(l => l, StringComparer.Ordinal)
            .Select(g => (label: g.Key, count: g.Count()))
            .OrderByDescending(v => v.count)
            .ThenByDescending(v => weighted[v.label])
            .First();

        return new ConsensusResult(top, votes.label, Math.Round((double)votes.count / models.Count, 6));
    }

    /// <summary>
    /// The weighted mean probability of every label any model has, in the order labels are first met (a label a model
    /// lacks scores 0 for it). Non-positive weights count as 0; if every weight is 0, models count equally.
    /// </summary>
    public static IReadOnlyList<LabelScore> WeightedMean(IReadOnlyList<ModelScores> models)
    {
        ArgumentOutOfRangeException.ThrowIfZero(models.Count);
        var weights = models.Select(m => Math.Max(m.Weight, 0)).ToList();
        if (weights.Sum() <= 0)
        {
            weights = models.Select(_ => 1.0).ToList();
        }

        var totalWeight = weights.Sum();
        var weighted = new Dictionary<string, double>(StringComparer.Ordinal);
        var order = new List<string>();
        for (var mi = 0; mi < models.Count; mi++)
        {
            var m = models[mi];
            for (var i = 0; i < m.Labels.Count; i++)
            {
                if (!weighted.TryGetValue(m.Labels[i], out var acc))
                {
                    order.Add(m.Labels[i]);
                }

                weighted[m.Labels[i]] = acc + (weights[mi] * m.Probabilities[i] / totalWeight);
            }
        }

        return [.. order.Select(label => new LabelScore(label, weighted[label]))];
    }
}
