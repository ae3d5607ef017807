using ServerlessVideo.Core;
using ServerlessVideo.Core.Planning;

namespace ServerlessVideo.Pipeline.Messages;

/// <summary>Decode every clip of every view of the plan, once, and store them as tensors.</summary>
public sealed record ExtractRequest(VideoJob Job, VideoProbe Probe, VideoPlan Plan) : IVideoMessage
{
    string IVideoMessage.VideoId => Job.VideoId;
}
