using Microsoft.DurableTask;
using ServerlessVideo.Core;
using ServerlessVideo.Media;
using ServerlessVideo.Pipeline.Messages;

namespace ServerlessVideo.Pipeline.Orchestration;

/// <summary>Maps an activity failure to a reason code and message for the result row.</summary>
public static class VideoFailures
{
    public static VideoFailure From(TaskFailureDetails details)
    {
        // A refusal carries its code at the head of the message ("DECODE_FAILED: …"); see MediaRejectedException.
        if (details.IsCausedBy<MediaRejectedException>())
        {
            var colon = details.ErrorMessage.IndexOf(": ", StringComparison.Ordinal);
            if (colon > 0)
            {
                return new VideoFailure(details.ErrorMessage[..colon], details.ErrorMessage[(colon + 2)..]);
            }
        }

        var code = details.ErrorType.Contains("OnnxRuntime", StringComparison.Ordinal) ? ReasonCodes.InferenceFailed : ReasonCodes.Internal;
        return new VideoFailure(code, $"{details.ErrorType}: {details.ErrorMessage}");
    }
}
