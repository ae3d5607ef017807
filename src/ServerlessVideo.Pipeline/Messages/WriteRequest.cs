using ServerlessVideo.Core;
using ServerlessVideo.Core.Manifests;

namespace ServerlessVideo.Pipeline.Messages;

/// <summary>
/// Everything the final activity needs to aggregate and store a video's results; <paramref name="UnavailableModels"/>
/// are the models the plan left out because they cannot load; <paramref name="Plan"/> says where each clip lies (null in
/// histories recorded before timelines were kept: the video then has no timeline); <paramref name="Cuts"/> are its shot
/// boundaries when they were detected; <paramref name="Pictures"/> what the decode pictured.
/// </summary>
public sealed record WriteRequest(
    VideoJob Job,
    VideoProbe Probe,
    IReadOnlyList<InferResult> Inferences,
    IReadOnlyDictionary<string, double> StageMs,
    DateTimeOffset StartedAt,
    DateTimeOffset CompletedAt,
    IReadOnlyList<UnavailableModel>? UnavailableModels = null,
    Core.Planning.VideoPlan? Plan = null,
    IReadOnlyList<double>? Cuts = null,
    VideoPictures? Pictures = null) : IVideoMessage
{
    string IVideoMessage.VideoId => Job.VideoId;
}
