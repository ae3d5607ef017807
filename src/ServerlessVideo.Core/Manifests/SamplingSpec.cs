namespace ServerlessVideo.Core.Manifests;

/// <summary>
/// How clips are cut from a video. With <see cref="Strategy"/> <c>clips</c> (default), <see cref="NumClips"/> clips
/// of <see cref="ClipLength"/> frames, taken at <see cref="Fps"/> or every <see cref="FrameInterval"/>-th source frame,
/// are spread uniformly over the video (mmaction2's test-time sampling). With <c>segments</c> (TSN), the video is cut
/// into <see cref="ClipLength"/> equal segments and the middle frame of each is taken: one clip spanning the video.
/// </summary>
/// <param name="ClipLength">Frames per clip (T), or segments for <c>segments</c>.</param>
/// <param name="Fps">Sample frames at this rate (frames per second of video time).</param>
/// <param name="FrameInterval">Sample every n-th source frame (mmaction2 <c>frame_interval</c>).</param>
/// <param name="NumClips">Clips spread uniformly over the video.</param>
/// <param name="Strategy"><c>clips</c> or <c>segments</c>.</param>
public sealed record SamplingSpec(int ClipLength, double? Fps, int? FrameInterval, int NumClips, string Strategy = SamplingSpec.Clips)
{
    public const string Clips = "clips";
    public const string Segments = "segments";
}
