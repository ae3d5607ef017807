namespace ServerlessVideo.Media;

/// <summary>The input cannot be processed, for a reason that retrying will not change.</summary>
public sealed class MediaRejectedException : Exception
{
    /// <summary>The message reads <c>CODE: detail</c>, so the code survives hosts that carry only an exception's type and message.</summary>
    public MediaRejectedException(string reasonCode, string message, Exception? inner = null)
        : base($"{reasonCode}: {message}", inner)
    {
        ReasonCode = reasonCode;
        Detail = message;
    }

    public MediaRejectedException() => ReasonCode = Core.ReasonCodes.Internal;

    public MediaRejectedException(string message) : base(message) => ReasonCode = Core.ReasonCodes.Internal;

    public MediaRejectedException(string message, Exception inner) : base(message, inner) => ReasonCode = Core.ReasonCodes.Internal;

    /// <summary>One of <see cref="Core.ReasonCodes"/>.</summary>
    public string ReasonCode { get; }

    /// <summary>The human message without the code.</summary>
    public string Detail { get; } = string.Empty;
}
