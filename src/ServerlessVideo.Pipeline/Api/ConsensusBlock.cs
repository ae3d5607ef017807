using ServerlessVideo.Core.Results;

namespace ServerlessVideo.Pipeline.Api;

/// <summary>The consensus of one label space's models, as results store it and the HTTP API returns it.</summary>
/// <param name="LabelSpace">The space, e.g. <c>synthmotion</c> or <c>kinetics-400</c>.</param>
/// <param name="Models">Ids of the models combined.</param>
/// <param name="Labels">Weighted mean probability per label, best first.</param>
/// <param name="MajorityLabel">The label most of these models rank first.</param>
/// <param name="Agreement">Fraction of these models whose top label is <paramref name="MajorityLabel"/>.</param>
public sealed record ConsensusBlock(string LabelSpace, IReadOnlyList<string> Models, IReadOnlyList<LabelScore> Labels, string MajorityLabel, double Agreement)
{
    public static ConsensusBlock Of(LabelSpaceConsensus space)
    {
        ArgumentNullException.ThrowIfNull(space);
        return new(space.LabelSpace, space.Models, space.Result.TopLabels, space.Result.MajorityLabel, space.Result.Agreement);
    }
}
