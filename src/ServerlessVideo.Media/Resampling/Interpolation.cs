namespace ServerlessVideo.Media.Resampling;

/// <summary>Resampling filters, by the names the reference libraries give them.</summary>
public enum Interpolation
{
    /// <summary>Nearest neighbour (each library's own index rule).</summary>
    Nearest,

    /// <summary>Linear in each direction (a triangle filter widened by the scale when antialiased).</summary>
    Bilinear,

    /// <summary>Cubic convolution (torch: a = −0.75, or −0.5 when antialiased; PIL: −0.5; OpenCV: −0.75).</summary>
    Bicubic,

    /// <summary>Pixel-area averaging (OpenCV's <c>INTER_AREA</c>).</summary>
    Area,
}

/// <summary>The library whose resize a model's reference preprocessing uses.</summary>
public enum ResampleLibrary
{
    /// <summary>torchvision's <c>F.resize</c> on a uint8 tensor: float math, rounded half to even back to uint8.</summary>
    Torchvision,

    /// <summary>Pillow's <c>Image.resize</c> (Hugging Face image and video processors): always antialiased, 22-bit fixed point, horizontal pass first.</summary>
    Pil,

    /// <summary>OpenCV's <c>cv2.resize</c> (mmaction2 through mmcv), run by OpenCV itself.</summary>
    OpenCv,
}
