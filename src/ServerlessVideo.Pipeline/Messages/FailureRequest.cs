using ServerlessVideo.Core;
using ServerlessVideo.Core.Manifests;

namespace ServerlessVideo.Pipeline.Messages;

/// <summary>Store a video as failed; <paramref name="UnavailableModels"/> when the plan left models out.</summary>
public sealed record FailureRequest(
    VideoJob Job,
    VideoFailure Failure,
    VideoProbe? Probe,
    IReadOnlyDictionary<string, double> StageMs,
    DateTimeOffset StartedAt,
    DateTimeOffset CompletedAt,
    IReadOnlyList<UnavailableModel>? UnavailableModels = null) : IVideoMessage
{
    string IVideoMessage.VideoId => Job.VideoId;
}
