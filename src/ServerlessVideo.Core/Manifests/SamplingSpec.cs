namespace ServerlessVideo.Core.Manifests;

/// <summary>
/// How clips are cut from a video. With <see cref="Strategy"/> <c>clips</c> (default), <see cref="NumClips"/> clips
/// of <see cref="ClipLength"/> frames, taken at <see cref="Fps"/> or every <see cref="FrameInterval"/>-th source frame,
/// are spread uniformly over the video by time. With <c>segments</c> (TSN), the video is cut into <see cref="ClipLength"/>
/// equal segments and the middle frame of each is taken: one clip spanning the video. <c>mmaction2</c> and
/// <c>torchvision</c> pick the frame indices those libraries' test-time sampling picks.
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

    /// <summary>mmaction2's <c>SampleFrames(clip_len, frame_interval, num_clips, test_mode=True)</c>, index for index.</summary>
    public const string Mmaction2 = "mmaction2";

    /// <summary>
    /// mmaction2's TSN test sampling, <c>SampleFrames(clip_len=1, frame_interval=1, num_clips=ClipLength,
    /// test_mode=True)</c>, its segment frames stacked as one clip (the recogniser sees every segment at once).
    /// </summary>
    public const string Mmaction2Segments = "mmaction2-segments";

    /// <summary>torchvision's reference evaluation (<c>VideoClips</c> at <see cref="FrameRate"/> + <c>UniformClipSampler</c>), index for index.</summary>
    public const string Torchvision = "torchvision";

    /// <summary>torchvision's <c>frame_rate</c>: the rate the video is resampled to before clips are cut (strategy <c>torchvision</c>).</summary>
    public double? FrameRate { get; init; }

    /// <summary>Whether clips are frame indices a reference library picks (mmaction2, torchvision) rather than times.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool ByIndex => Strategy is Mmaction2 or Mmaction2Segments or Torchvision;
}
