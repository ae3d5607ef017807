namespace ServerlessVideo.Pipeline.Messages;

/// <summary>Mark a video's row as running.</summary>
public sealed record RunningRequest(VideoJob Job, DateTimeOffset StartedAt) : IVideoMessage
{
    string IVideoMessage.VideoId => Job.VideoId;
}
