namespace ServerlessVideo.Media;

/// <summary>
/// A synthetic video: a background of one colour with a white square sliding across it.
/// </summary>
/// <param name="Colour">ffmpeg colour name or <c>0xRRGGBB</c> of the background.</param>
/// <param name="Width">Frame width, pixels.</param>
/// <param name="Height">Frame height, pixels.</param>
/// <param name="Fps">Frame rate.</param>
/// <param name="Seconds">Duration.</param>
/// <param name="Container"><c>mp4</c> (H.264) or <c>webm</c> (VP9).</param>
public sealed record SampleVideo(string Colour, int Width, int Height, double Fps, double Seconds, string Container = "mp4");
