namespace ServerlessVideo.Core;

/// <summary>What ffprobe says about a video, with width and height as displayed (rotation applied).</summary>
/// <param name="DurationSeconds">Container duration, seconds.</param>
/// <param name="Fps">Average frame rate of the video stream, frames per second.</param>
/// <param name="Width">Displayed width, pixels.</param>
/// <param name="Height">Displayed height, pixels.</param>
/// <param name="Rotation">Rotation metadata, degrees clockwise.</param>
/// <param name="Codec">Video codec name, e.g. <c>h264</c>.</param>
/// <param name="Format">Container format name.</param>
/// <param name="SizeBytes">Blob size.</param>
public sealed record VideoProbe(
    double DurationSeconds,
    double Fps,
    int Width,
    int Height,
    int Rotation,
    string Codec,
    string Format,
    long SizeBytes)
{
    /// <summary>Estimated number of frames in the video.</summary>
    public long EstimatedFrames => (long)Math.Round(DurationSeconds * Fps);

    /// <summary>
    /// When the last frame starts, seconds, rounded down to the millisecond: the latest time a seek still lands on a
    /// frame (ffmpeg's exact seek drops frames that start before the seek point, even one still on screen).
    /// </summary>
    public double LastFrameSeconds => Math.Max(0, Math.Floor((DurationSeconds - (1 / Fps)) * 1000) / 1000);
}
