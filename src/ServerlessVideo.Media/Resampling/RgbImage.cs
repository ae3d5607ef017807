namespace ServerlessVideo.Media.Resampling;

/// <summary>An 8-bit RGB image, rows top to bottom, pixels interleaved (<c>rgb24</c>: what ffmpeg pipes out).</summary>
public sealed record RgbImage
{
    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length != checked(width * height * 3))
        {
            throw new ArgumentException($"An RGB image of {width}×{height} holds {width * height * 3} bytes, not {pixels.Length}.", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Height × width × 3 bytes.</summary>
    public byte[] Pixels { get; }

    /// <summary>The <paramref name="width"/> × <paramref name="height"/> window whose top-left corner is (<paramref name="left"/>, <paramref name="top"/>).</summary>
    public RgbImage Crop(int left, int top, int width, int height)
    {
        if (left < 0 || top < 0 || width < 1 || height < 1 || left + width > Width || top + height > Height)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"Crop {width}×{height} at ({left}, {top}) is outside the {Width}×{Height} image.");
        }

        var output = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            Pixels.AsSpan(((top + y) * Width + left) * 3, width * 3).CopyTo(output.AsSpan(y * width * 3));
        }

        return new RgbImage(width, height, output);
    }
}
