using ServerlessVideo.Core;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Core.Planning;

namespace ServerlessVideo.Pipeline.Messages;

/// <summary>
/// Decode every clip of every view of the plan, once, and store them as tensors. With <paramref name="Write"/>, a plan
/// of one segment per view (a short video) is finished in the same activity: its models run on the decoded clips and
/// its results are written, as <see cref="TaskNames.WriteResults"/> would write them.
/// </summary>
public sealed record ExtractRequest(VideoJob Job, VideoProbe Probe, VideoPlan Plan, WriteContext? Write = null) : IVideoMessage
{
    string IVideoMessage.VideoId => Job.VideoId;
}

/// <summary>What writing the results needs beyond the decode: the stages timed so far, the start, the models left out.</summary>
public sealed record WriteContext(IReadOnlyDictionary<string, double> StageMs, DateTimeOffset StartedAt, IReadOnlyList<UnavailableModel>? UnavailableModels);
