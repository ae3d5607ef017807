using System.Globalization;
using System.Text.Json.Serialization;

namespace ServerlessVideo.Core.Manifests;

/// <summary>
/// A reference library's resize, run on frames decoded at their own size (<c>rgb24</c> as ffmpeg converts them, which is
/// what torchvision's and PyAV's readers return too): the library's output-size rule, its resampler, and its centre-crop
/// rounding. Exactly one of <see cref="ShortSide"/>, <see cref="LongSide"/> or <see cref="Height"/> with
/// <see cref="Width"/> is set.
/// </summary>
public sealed record ResizeSpec
{
    public const string Torchvision = "torchvision";
    public const string Pil = "pil";
    public const string OpenCv = "opencv";

    /// <summary><c>torchvision</c> (<c>F.resize</c> on uint8 tensors), <c>pil</c> (<c>Image.resize</c>, Hugging Face) or <c>opencv</c> (<c>cv2.resize</c>, mmaction2).</summary>
    public required string Library { get; init; }

    /// <summary>The short side becomes this; the long side keeps the aspect ratio (see <see cref="Rounding"/>).</summary>
    public int? ShortSide { get; init; }

    /// <summary>The long side becomes this; the short side keeps the aspect ratio.</summary>
    public int? LongSide { get; init; }

    /// <summary>With <see cref="Width"/>: a fixed size, aspect ignored (torchvision's <c>resize_size=(128, 171)</c>).</summary>
    public int? Height { get; init; }

    public int? Width { get; init; }

    /// <summary><c>nearest</c>, <c>bilinear</c>, <c>bicubic</c>, or <c>area</c> (OpenCV only).</summary>
    public string Interpolation { get; init; } = "bilinear";

    /// <summary>torchvision's <c>antialias</c> (off in torchvision 0.14's presets); Pillow always antialiases when it shrinks.</summary>
    public bool Antialias { get; init; }

    /// <summary>
    /// How the side that keeps the aspect is rounded: <c>floor</c> (torchvision's and Hugging Face's <c>int(s · long / short)</c>)
    /// or <c>round</c> (mmcv's <c>int(x · scale + 0.5)</c>). Default: <c>round</c> for OpenCV, else <c>floor</c>.
    /// </summary>
    public string? Rounding { get; init; }

    private bool Rounds => (Rounding ?? (Library == OpenCv ? "round" : "floor")) == "round";

    /// <summary>The size a <paramref name="width"/> × <paramref name="height"/> frame is resized to.</summary>
    public (int Width, int Height) OutputSize(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (Height is { } h && Width is { } w)
        {
            return (w, h);
        }

        var portrait = width <= height;
        var (shortSide, longSide) = portrait ? (width, height) : (height, width);
        int newShort, newLong;
        if (ShortSide is { } s)
        {
            (newShort, newLong) = Rounds
                ? ((int)((shortSide * ((double)s / shortSide)) + 0.5), (int)((longSide * ((double)s / shortSide)) + 0.5))
                : (s, (int)((double)s * longSide / shortSide));
        }
        else if (LongSide is { } l)
        {
            (newShort, newLong) = Rounds
                ? ((int)((shortSide * ((double)l / longSide)) + 0.5), (int)((longSide * ((double)l / longSide)) + 0.5))
                : ((int)((double)l * shortSide / longSide), l);
        }
        else
        {
            throw new InvalidOperationException("A resize needs shortSide, longSide, or height and width.");
        }

        newShort = Math.Max(newShort, 1);
        return portrait ? (newShort, newLong) : (newLong, newShort);
    }

    /// <summary>
    /// Where a <paramref name="crop"/>-square centre crop starts in a <paramref name="width"/> × <paramref name="height"/>
    /// image: torchvision rounds half an odd margin to even (<c>int(round((w − c) / 2))</c>), mmaction2 and Hugging Face
    /// take the floor (<c>(w − c) // 2</c>). Negative when the crop is larger (torchvision pads with zeros).
    /// </summary>
    public (int Left, int Top) CropOrigin(int width, int height, int crop) => Library == Torchvision
        ? ((int)Math.Round((width - crop) / 2.0, MidpointRounding.ToEven), (int)Math.Round((height - crop) / 2.0, MidpointRounding.ToEven))
        : ((int)Math.Floor((width - crop) / 2.0), (int)Math.Floor((height - crop) / 2.0));

    /// <summary>How many windows <paramref name="crops"/> (<c>center</c>, <c>three</c>, <c>ten</c>) cuts from a frame.</summary>
    public static int CropCount(string? crops) => crops switch
    {
        null or "center" => 1,
        "three" => 3,
        "ten" => 10,
        _ => throw new ArgumentException($"Unknown crops '{crops}' (center, three, ten).", nameof(crops)),
    };

    /// <summary>
    /// The <paramref name="crop"/>-square windows <paramref name="crops"/> cuts from a <paramref name="width"/> ×
    /// <paramref name="height"/> image, in the library's order, each with whether it is mirrored left to right.
    /// torchvision's <c>ten_crop</c>: corners (top-left, top-right, bottom-left, bottom-right) and centre, then the same five
    /// of the mirrored image. mmaction2's TenCrop: corners and centre on a grid of (w − c) // 4 steps, each followed by
    /// its mirror; its ThreeCrop: left, right and middle along the long side (the crop must span the short side).
    /// </summary>
    public IReadOnlyList<(int Left, int Top, bool Mirror)> CropWindows(int width, int height, int crop, string? crops)
    {
        switch (crops)
        {
            case null or "center":
                var (left, top) = CropOrigin(width, height, crop);
                return [(left, top, false)];
            case "ten" when Library == Torchvision:
                var (cx, cy) = CropOrigin(width, height, crop);
                (int X, int Y)[] five = [(0, 0), (width - crop, 0), (0, height - crop), (width - crop, height - crop), (cx, cy)];
                // The mirrored image's crops at the same places are the mirrors of the crops at the mirrored places.
                return [.. five.Select(p => (p.X, p.Y, false)), .. five.Select(p => (width - crop - p.X, p.Y, true))];
            case "ten":
                var (ws, hs) = ((width - crop) / 4, (height - crop) / 4);
                return [.. new[] { (0, 0), (4 * ws, 0), (0, 4 * hs), (4 * ws, 4 * hs), (2 * ws, 2 * hs) }
                    .SelectMany(p => new[] { (p.Item1, p.Item2, false), (p.Item1, p.Item2, true) })];
            case "three" when crop == height:
                var xs = (width - crop) / 2;
                return [(0, 0, false), (2 * xs, 0, false), (xs, 0, false)];
            case "three" when crop == width:
                var ys = (height - crop) / 2;
                return [(0, 0, false), (0, 2 * ys, false), (0, ys, false)];
            case "three":
                throw new InvalidOperationException($"Three crops of {crop} px need the resized short side to be {crop} px, not {Math.Min(width, height)}.");
            default:
                throw new ArgumentException($"Unknown crops '{crops}' (center, three, ten).", nameof(crops));
        }
    }

    /// <summary>A short name for blob paths and view keys, e.g. <c>torchvision-h128w171-bilinear</c>.</summary>
    [JsonIgnore]
    public string Key
    {
        get
        {
            var size = ShortSide is { } s ? $"s{s}" : LongSide is { } l ? $"l{l}" : $"h{Height}w{Width}";
            var rounding = Rounding is null ? string.Empty : $"-{Rounding}";
            return string.Create(CultureInfo.InvariantCulture, $"{Library}-{size}-{Interpolation}{(Antialias ? "-aa" : string.Empty)}{rounding}");
        }
    }
}
