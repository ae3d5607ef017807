namespace ServerlessVideo.Core.Manifests;

/// <summary>How clips are cut from a video. Exactly one of <see cref="Fps"/> and <see cref="FrameInterval"/> is set.</summary>
/// <param name="ClipLength">Frames per clip (T).</param>
/// <param name="Fps">Sample frames at this rate (frames per second of video time).</param>
/// <param name="FrameInterval">Sample every n-th source frame (mmaction2 <c>frame_interval</c>).</param>
/// <param name="NumClips">Clips spread uniformly over the video (mmaction2 <c>num_clips</c> at test time).</param>
public sealed record SamplingSpec(int ClipLength, double? Fps, int? FrameInterval, int NumClips);
