namespace ServerlessVideo.Pipeline.Messages;

/// <summary>
/// An activity input that belongs to one video, so telemetry can put the activity's span in that video's trace.
/// Records carrying a <see cref="VideoJob"/> implement it explicitly: an explicit member is not serialized, so the
/// durable payloads keep their shape.
/// </summary>
public interface IVideoMessage
{
    string VideoId { get; }
}
