using ServerlessVideo.Core.Planning;

namespace ServerlessVideo.Pipeline.Messages;

/// <summary>Extract the clips of one segment of one view.</summary>
public sealed record ExtractRequest(VideoJob Job, FrameView View, Segment Segment) : IVideoMessage
{
    string IVideoMessage.VideoId => Job.VideoId;
}
