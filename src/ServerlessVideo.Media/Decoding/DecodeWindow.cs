namespace ServerlessVideo.Media.Decoding;

/// <summary>
/// What one ffmpeg process decodes: from <see cref="StartSeconds"/> (ffmpeg seeks to the keyframe before it and decodes
/// from there) to <see cref="EndSeconds"/>, keeping only the frames inside <see cref="Keep"/>. Times are seconds from
/// the start of the video.
/// </summary>
/// <param name="StartSeconds">Where ffmpeg is asked to start (an exact seek).</param>
/// <param name="EndSeconds">Where decoding may stop.</param>
/// <param name="DecodeFromSeconds">Where decoding really starts: the keyframe at or before the start when the index is
/// known, else the start itself. Used to cost the plan.</param>
/// <param name="Keep">The stretches whose frames are kept, in order.</param>
public sealed record DecodeWindow(double StartSeconds, double EndSeconds, double DecodeFromSeconds, IReadOnlyList<TimeRange> Keep)
{
    /// <summary>Seconds of video this window makes the decoder go through.</summary>
    public double DecodedSeconds => EndSeconds - DecodeFromSeconds;
}
