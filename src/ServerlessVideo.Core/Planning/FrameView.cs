using System.Globalization;

namespace ServerlessVideo.Core.Planning;

/// <summary>
/// One way of looking at a video that several models can share: frames sampled at <see cref="Fps"/>, short side
/// resized to <see cref="ResizeShortSide"/>, centre-cropped to <see cref="CropSize"/> squared, <see cref="ClipLength"/>
/// frames per clip. Frames for a view are extracted once and fed to every model that asks for it.
/// </summary>
public sealed record FrameView(double Fps, int ResizeShortSide, int CropSize, int ClipLength)
{
    /// <summary>A short name, used as a blob-path segment.</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture, $"rgb-f{Fps:0.###}-s{ResizeShortSide}-c{CropSize}-t{ClipLength}");

    /// <summary>Seconds of video one clip covers.</summary>
    public double ClipSeconds => ClipLength / Fps;
}
