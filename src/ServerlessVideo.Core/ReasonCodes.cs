namespace ServerlessVideo.Core;

/// <summary>Machine-readable reasons a video was not classified. Stored in the result row beside a human message.</summary>
public static class ReasonCodes
{
    /// <summary>The blob has no bytes.</summary>
    public const string EmptyFile = "EMPTY_FILE";

    /// <summary>ffprobe cannot read a container (garbage, truncated header, moov atom missing).</summary>
    public const string Unreadable = "UNREADABLE_MEDIA";

    /// <summary>The container holds no video stream (audio only, subtitles).</summary>
    public const string NoVideoStream = "NO_VIDEO_STREAM";

    /// <summary>A single picture rather than a video.</summary>
    public const string StillImage = "STILL_IMAGE";

    /// <summary>Container format outside the allowed list (playlists, concat scripts, raw devices).</summary>
    public const string UnsupportedFormat = "UNSUPPORTED_FORMAT";

    /// <summary>The blob is larger than the configured cap.</summary>
    public const string TooLarge = "TOO_LARGE";

    /// <summary>The video is longer than the configured cap.</summary>
    public const string TooLong = "TOO_LONG";

    /// <summary>The picture is smaller than the configured minimum side (e.g. a 1×1-pixel video).</summary>
    public const string TooSmall = "TOO_SMALL";

    /// <summary>Frames could not be decoded where the probe promised them (corrupt stream).</summary>
    public const string DecodeFailed = "DECODE_FAILED";

    /// <summary>The blob disappeared before processing.</summary>
    public const string NotFound = "NOT_FOUND";

    /// <summary>
    /// A model could not be loaded (manifest invalid, <c>model.onnx</c> missing or corrupt, graph and manifest disagree):
    /// per model, it lists the models a video's result did not use; on the video, no model was available at all.
    /// </summary>
    public const string ModelUnavailable = "MODEL_UNAVAILABLE";

    /// <summary>Model inference failed.</summary>
    public const string InferenceFailed = "INFERENCE_FAILED";

    /// <summary>An unexpected failure; the message carries the detail.</summary>
    public const string Internal = "INTERNAL_ERROR";
}
