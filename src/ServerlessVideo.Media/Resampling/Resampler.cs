namespace ServerlessVideo.Media.Resampling;

/// <summary>Resizes with the resampler of the named library.</summary>
public static class Resampler
{
    /// <summary>
    /// <paramref name="image"/> resized to <paramref name="width"/> × <paramref name="height"/> as <paramref name="library"/>
    /// does with <paramref name="interpolation"/>; <paramref name="antialias"/> applies to torchvision only (Pillow always
    /// antialiases when it shrinks; OpenCV's area filter is its own).
    /// </summary>
    public static RgbImage Resize(RgbImage image, int height, int width, ResampleLibrary library, Interpolation interpolation, bool antialias) => library switch
    {
        ResampleLibrary.Torchvision => TorchResampler.Resize(image, height, width, interpolation, antialias),
        ResampleLibrary.Pil => PilResampler.Resize(image, height, width, interpolation),
        ResampleLibrary.OpenCv => OpenCvResampler.Resize(image, height, width, interpolation),
        _ => throw new ArgumentOutOfRangeException(nameof(library), library, "Unknown resampling library."),
    };
}
