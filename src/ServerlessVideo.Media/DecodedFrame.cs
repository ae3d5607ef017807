namespace ServerlessVideo.Media;

/// <summary>One frame as decoded for a geometry: when it starts (seconds from the start of the video) and its RGB bytes.</summary>
public sealed record DecodedFrame(double Seconds, byte[] Rgb);
