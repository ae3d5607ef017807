using System.Text.Json.Serialization;

namespace ServerlessVideo.Core.Manifests;

/// <summary>
/// Frame geometry and normalisation. A pixel p in 0..255 becomes <c>(p / PixelScale - Mean[c]) / Std[c]</c>,
/// so mean and std are stated in the units left after dividing by <see cref="PixelScale"/>
/// (torchvision: scale 255, mean 0.485…; mmaction2: scale 1, mean 123.675…).
/// </summary>
/// <param name="ResizeShortSide">The short side is resized to this many pixels by ffmpeg's scaler, keeping aspect; 0 when <see cref="Resize"/> is set.</param>
/// <param name="CropSize">Centre crop, square, in pixels after resizing.</param>
/// <param name="PixelScale">Divisor applied to 0..255 pixel values before mean/std.</param>
/// <param name="Mean">Per-channel mean, in the order of <see cref="ChannelOrder"/>.</param>
/// <param name="Std">Per-channel standard deviation, in the order of <see cref="ChannelOrder"/>.</param>
/// <param name="ChannelOrder"><c>RGB</c> or <c>BGR</c>.</param>
public sealed record PreprocessingSpec(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int ResizeShortSide,
    int CropSize,
    double PixelScale,
    IReadOnlyList<double> Mean,
    IReadOnlyList<double> Std,
    string ChannelOrder = "RGB")
{
    /// <summary>A reference library's resize on frames decoded at their own size, instead of <see cref="ResizeShortSide"/>.</summary>
    public ResizeSpec? Resize { get; init; }

    /// <summary>
    /// Test-time crops of each frame, averaged with the clips: <c>center</c> (default), <c>three</c> (mmaction2's
    /// ThreeCrop along the long side) or <c>ten</c> (four corners and the centre, and their mirror images: torchvision's
    /// <c>ten_crop</c> or mmaction2's TenCrop). Needs <see cref="Resize"/>.
    /// </summary>
    public string? Crops { get; init; }

    /// <summary>How many crops each frame gives.</summary>
    [JsonIgnore]
    public int CropCount => ResizeSpec.CropCount(Crops);
}
