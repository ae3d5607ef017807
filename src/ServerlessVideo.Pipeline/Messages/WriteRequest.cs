using ServerlessVideo.Core;

namespace ServerlessVideo.Pipeline.Messages;

/// <summary>Everything the final activity needs to aggregate and store a video's results.</summary>
public sealed record WriteRequest(
    VideoJob Job,
    VideoProbe Probe,
    IReadOnlyList<InferResult> Inferences,
    IReadOnlyDictionary<string, double> StageMs,
    DateTimeOffset StartedAt,
    DateTimeOffset CompletedAt) : IVideoMessage
{
    string IVideoMessage.VideoId => Job.VideoId;
}
