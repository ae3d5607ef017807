namespace ServerlessVideo.Core.Results;

/// <summary>Labels agreed across models.</summary>
/// <param name="TopLabels">Weighted mean probability per label, best first.</param>
/// <param name="MajorityLabel">The label most models rank first (ties broken by the weighted probability).</param>
/// <param name="Agreement">Fraction of models whose top label is <see cref="MajorityLabel"/>.</param>
public sealed record ConsensusResult(IReadOnlyList<LabelScore> TopLabels, string MajorityLabel, double Agreement);

/// <summary>The consensus of the models of one label space.</summary>
/// <param name="LabelSpace">The space (see <see cref="Manifests.LoadedModel.LabelSpace"/>).</param>
/// <param name="Models">Ids of the models combined, in order.</param>
/// <param name="Result">Their weighted mean, majority label and agreement.</param>
public sealed record LabelSpaceConsensus(string LabelSpace, IReadOnlyList<string> Models, ConsensusResult Result);
