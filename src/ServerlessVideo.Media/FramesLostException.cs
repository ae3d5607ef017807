namespace ServerlessVideo.Media;

/// <summary>
/// ffmpeg reported writing more frames than arrived (or a partial frame arrived). Transient by nature: the same decode
/// is expected to succeed when run again, so it is an <see cref="IOException"/> that retry policies retry, never a
/// refusal of the input.
/// </summary>
public sealed class FramesLostException : IOException
{
    public FramesLostException(string message) : base(message)
    {
    }

    public FramesLostException()
    {
    }

    public FramesLostException(string message, Exception inner) : base(message, inner)
    {
    }
}
