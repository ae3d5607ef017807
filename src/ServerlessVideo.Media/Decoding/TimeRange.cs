namespace ServerlessVideo.Media.Decoding;

/// <summary>A closed stretch of a video's timeline, seconds from its start.</summary>
public readonly record struct TimeRange(double From, double To)
{
    public double Length => To - From;
}
