using ServerlessVideo.Core.Results;
using ServerlessVideo.Inference;
using ServerlessVideo.Media.SynthMotion;

namespace ServerlessVideo.Evaluation;

/// <summary>
/// How sure the consensus of several models is on SynthMotion videos, as the pipeline combines them (each model's mean
/// over its clips, then the weighted mean across models): the data the open-set threshold is chosen from.
/// </summary>
public static class ConsensusCalibration
{
    /// <summary>Per video: the consensus's best confidence and whether its label is the true one.</summary>
    public static IReadOnlyList<(double Confidence, bool Correct)> Measure(IReadOnlyList<ModelSession> sessions, SynthMotionSplit split, int count) =>
        [.. Videos(sessions, split, count).Select(v => (v.Consensus.Confidence, v.Consensus.Label == SynthMotionClasses.Labels[v.Truth]))];

    /// <summary>
    /// Accuracy of the consensus and of each model alone on the same videos: overall, and on the temporal-order classes.
    /// </summary>
    public static IReadOnlyList<(string Name, double Accuracy, double TemporalPairAccuracy)> Compare(IReadOnlyList<ModelSession> sessions, SynthMotionSplit split, int count)
    {
        var videos = Videos(sessions, split, count).ToList();
        var pairs = videos.Where(v => SynthMotionClasses.IsTemporalPairClass(v.Truth)).ToList();
        static double Share(IEnumerable<bool> right) => right.DefaultIfEmpty(false).Average(r => r ? 1.0 : 0.0);
        static bool Right(string label, int truth) => label == SynthMotionClasses.Labels[truth];
        return
        [
            ("consensus", Share(videos.Select(v => Right(v.Consensus.Label, v.Truth))), Share(pairs.Select(v => Right(v.Consensus.Label, v.Truth)))),
            .. sessions.Select((s, i) => (s.Model.Id, Share(videos.Select(v => Right(v.ModelLabels[i], v.Truth))), Share(pairs.Select(v => Right(v.ModelLabels[i], v.Truth))))),
        ];
    }

    /// <summary>Each video's true class, consensus (as the pipeline forms it) and every model's own best label.</summary>
    private static IEnumerable<(int Truth, LabelScore Consensus, string[] ModelLabels)> Videos(IReadOnlyList<ModelSession> sessions, SynthMotionSplit split, int count)
    {
        for (var index = 0; index < count; index++)
        {
            var label = index % SynthMotionClasses.Labels.Count;
            var scene = new SynthMotionScene(SynthMotionSeeds.Of(split, index), label);
            var models = sessions.Select(session =>
            {
                var manifest = session.Model.Manifest;
                var mean = Consensus.MeanOverClips(session.Run(SynthMotionEvaluator.StreamsOf(SynthMotionEvaluator.Clips(scene, manifest), manifest)));
                if (manifest.Output.AveragesLogits)
                {
                    Activations.Apply(manifest.Output.Activation, mean);
                }

                return new ModelScores(session.Model.Id, manifest.ConsensusWeight, session.Model.Labels, mean, session.Model.LabelSpace);
            }).ToList();
            var best = Timelines.Top(Consensus.WeightedMean(models), 1)[0];
            yield return (label, best, [.. models.Select(m => Timelines.Top(Consensus.WeightedMean([m]), 1)[0].Label)]);
        }
    }

    /// <summary>
    /// The highest threshold (in steps of 0.05) below which at most <paramref name="fraction"/> of the correct answers
    /// fall: those would turn into <c>unknown</c>.
    /// </summary>
    public static double Threshold(IReadOnlyList<(double Confidence, bool Correct)> outcomes, double fraction)
    {
        var correct = outcomes.Where(o => o.Correct).Select(o => o.Confidence).ToList();
        var best = 0.0;
        for (var t = 0.05; t < 1; t += 0.05)
        {
            if (correct.Count(c => c < t) <= fraction * correct.Count)
            {
                best = Math.Round(t, 2);
            }
        }

        return best;
    }
}
