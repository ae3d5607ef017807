using ServerlessVideo.Core;

namespace ServerlessVideo.Pipeline.Messages;

/// <summary>Store a video as failed.</summary>
public sealed record FailureRequest(
    VideoJob Job,
    VideoFailure Failure,
    VideoProbe? Probe,
    IReadOnlyDictionary<string, double> StageMs,
    DateTimeOffset StartedAt,
    DateTimeOffset CompletedAt) : IVideoMessage
{
    string IVideoMessage.VideoId => Job.VideoId;
}
