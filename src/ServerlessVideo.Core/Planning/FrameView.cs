using System.Globalization;

namespace ServerlessVideo.Core.Planning;

/// <summary>
/// One way of looking at a video that several models can share: frames sampled at <see cref="Fps"/>, short side
/// resized to <see cref="ResizeShortSide"/> (or as <see cref="Resize"/> says), centre-cropped to <see cref="CropSize"/> squared, <see cref="ClipLength"/>
/// frames per clip. Frames for a view are extracted once and fed to every model that asks for it.
/// </summary>
public sealed record FrameView(double Fps, int ResizeShortSide, int CropSize, int ClipLength)
{
    /// <summary>
    /// When set, frames are decoded at their own size and resized by this reference library's resampler (then
    /// centre-cropped to <see cref="CropSize"/> with its rounding) instead of ffmpeg's scaler.
    /// </summary>
    public Manifests.ResizeSpec? Resize { get; init; }

    /// <summary>With test-time crops (<see cref="Manifests.PreprocessingSpec.Crops"/>): which of them this view is; null for the one centre crop.</summary>
    public int? CropIndex { get; init; }

    /// <summary>The test-time crops this view is one of (<c>three</c>, <c>ten</c>); null for the centre crop.</summary>
    public string? Crops { get; init; }

    /// <summary>A reference library's index sampling (<c>mmaction2</c>, <c>torchvision</c>), or null for sampling by time.</summary>
    public string? Sampling { get; init; }

    /// <summary>A short name, used as a blob-path segment.</summary>
    public string Key => (Resize is null
        ? string.Create(CultureInfo.InvariantCulture, $"rgb-f{Fps:0.###}-s{ResizeShortSide}-c{CropSize}-t{ClipLength}")
        : string.Create(CultureInfo.InvariantCulture, $"rgb-f{Fps:0.###}-{Resize.Key}-c{CropSize}-t{ClipLength}"))
        + (Sampling is null ? string.Empty : $"-{Sampling}")
        + (Crops is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"-{Crops}{CropIndex}"));

    /// <summary>Seconds of video one clip covers.</summary>
    public double ClipSeconds => ClipLength / Fps;
}
