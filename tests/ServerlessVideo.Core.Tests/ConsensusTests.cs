using ServerlessVideo.Core.Results;

namespace ServerlessVideo.Core.Tests;

public sealed class ConsensusTests
{
    [Fact]
    public void Mean_over_clips_averages_probabilities_per_class()
    {
        var mean = Consensus.MeanOverClips([[0.8f, 0.2f], [0.4f, 0.6f]]);
        Assert.Equal(0.6f, mean[0], 5);
        Assert.Equal(0.4f, mean[1], 5);
    }

    [Fact]
    public void Clips_with_different_class_counts_are_refused() =>
        Assert.Throws<ArgumentException>(() => Consensus.MeanOverClips([[1f], [0.5f, 0.5f]]));

    [Fact]
    public void Top_k_orders_by_probability_then_index()
    {
        var top = Consensus.TopK(["a", "b", "c", "d"], [0.1f, 0.4f, 0.4f, 0.1f], 3);
        Assert.Equal(["b", "c", "a"], top.Select(t => t.Label));
    }

    [Fact]
    public void Across_models_labels_are_matched_by_name_and_weighted()
    {
        var result = Consensus.AcrossModels(
        [
            new ModelScores("m1", 3, ["cat", "dog"], [0.9f, 0.1f]),
            new ModelScores("m2", 1, ["dog", "cat", "bird"], [0.7f, 0.2f, 0.1f]),
        ], 3);
        // cat: (3·0.9 + 1·0.2)/4 = 0.725; dog: (3·0.1 + 1·0.7)/4 = 0.25; bird: 0.1/4 = 0.025.
        Assert.Equal(["cat", "dog", "bird"], result.TopLabels.Select(l => l.Label));
        Assert.Equal(0.725, result.TopLabels[0].Confidence, 5);
        Assert.Equal(0.025, result.TopLabels[2].Confidence, 5);
    }

    [Fact]
    public void Majority_vote_and_agreement_count_top_one_labels()
    {
        var result = Consensus.AcrossModels(
        [
            new ModelScores("m1", 1, ["a", "b"], [0.6f, 0.4f]),
            new ModelScores("m2", 1, ["a", "b"], [0.55f, 0.45f]),
            new ModelScores("m3", 1, ["a", "b"], [0.01f, 0.99f]),
        ], 2);
        Assert.Equal("a", result.MajorityLabel);
        Assert.Equal(0.666667, result.Agreement, 5);
        // The weighted mean prefers b (0.613) although two of three models vote a: both views are reported.
        Assert.Equal("b", result.TopLabels[0].Label);
    }

    [Fact]
    public void Zero_weights_everywhere_count_models_equally()
    {
        var result = Consensus.AcrossModels(
        [
            new ModelScores("m1", 0, ["a", "b"], [1f, 0f]),
            new ModelScores("m2", 0, ["a", "b"], [0f, 1f]),
        ], 2);
        Assert.Equal(0.5, result.TopLabels[0].Confidence, 5);
    }
}
