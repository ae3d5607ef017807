using ServerlessVideo.Core;

namespace ServerlessVideo.Pipeline.Messages;

public sealed record PlanRequest(VideoJob Job, VideoProbe Probe) : IVideoMessage
{
    string IVideoMessage.VideoId => Job.VideoId;
}
