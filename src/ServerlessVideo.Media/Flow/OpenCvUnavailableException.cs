namespace ServerlessVideo.Media.Flow;

/// <summary>OpenCV's native library cannot be loaded on this machine; the message says what to install.</summary>
public sealed class OpenCvUnavailableException : InvalidOperationException
{
    public OpenCvUnavailableException()
    {
    }

    public OpenCvUnavailableException(string message)
        : base(message)
    {
    }

    public OpenCvUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
