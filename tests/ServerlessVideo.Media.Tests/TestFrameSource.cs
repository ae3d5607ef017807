using Microsoft.Extensions.Logging.Abstractions;

namespace ServerlessVideo.Media.Tests;

/// <summary>A frame source with its prober, logging nowhere.</summary>
internal static class TestFrameSource
{
    public static FrameSource Create(MediaOptions? options = null)
    {
        var media = options ?? new MediaOptions();
        return new FrameSource(media, new VideoProber(media, NullLogger<VideoProber>.Instance), NullLogger<FrameSource>.Instance);
    }
}
