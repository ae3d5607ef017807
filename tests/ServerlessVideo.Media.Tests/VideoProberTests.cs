using Microsoft.Extensions.Logging.Abstractions;
using ServerlessVideo.Core;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Media.Tests;

public sealed class VideoProberTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly VideoProber _prober = new(new MediaOptions(), NullLogger<VideoProber>.Instance);

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("mp4", "h264")]
    [InlineData("webm", "vp9")]
    public async Task Probes_duration_rate_size_and_codec(string container, string codec)
    {
        var path = await TestVideos.ColourAsync(_temp.Path, "red", 320, 180, 30, 2.5, container);
        var probe = await _prober.ProbeAsync(path, CancellationToken.None);
        Assert.Equal(codec, probe.Codec);
        Assert.Equal((320, 180), (probe.Width, probe.Height));
        Assert.Equal(30, probe.Fps, 1);
        Assert.InRange(probe.DurationSeconds, 2.4, 2.6);
        Assert.Equal(new FileInfo(path).Length, probe.SizeBytes);
    }

    [Fact]
    public async Task Rotation_swaps_the_displayed_width_and_height()
    {
        var path = await TestVideos.RotatedAsync(_temp.Path, "blue", 320, 240);
        var probe = await _prober.ProbeAsync(path, CancellationToken.None);
        Assert.Equal(90, probe.Rotation % 180 == 90 ? 90 : probe.Rotation);
        Assert.Equal((240, 320), (probe.Width, probe.Height));
    }

    public static IEnumerable<object[]> BadInputs => TestVideos.BadInputs.Select(b => new object[] { b.Kind, b.Reason });

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_is_refused_with_its_reason_within_seconds(string kind, string reason)
    {
        var path = await TestVideos.BadAsync(kind, _temp.Path);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<MediaRejectedException>(() => _prober.ProbeAsync(path, CancellationToken.None));
        Assert.Equal(reason, ex.ReasonCode);
        Assert.StartsWith(reason + ": ", ex.Message);
        Assert.False(string.IsNullOrWhiteSpace(ex.Detail));
        Assert.InRange(watch.Elapsed.TotalSeconds, 0, 10);
    }

    [Fact]
    public async Task Size_and_duration_caps_are_enforced()
    {
        var path = await TestVideos.ColourAsync(_temp.Path, "green", 160, 120, 25, 3);
        var small = new VideoProber(new MediaOptions { MaxBytes = 100 }, NullLogger<VideoProber>.Instance);
        Assert.Equal(ReasonCodes.TooLarge, (await Assert.ThrowsAsync<MediaRejectedException>(() => small.ProbeAsync(path, CancellationToken.None))).ReasonCode);
        var brief = new VideoProber(new MediaOptions { MaxDurationSeconds = 1 }, NullLogger<VideoProber>.Instance);
        Assert.Equal(ReasonCodes.TooLong, (await Assert.ThrowsAsync<MediaRejectedException>(() => brief.ProbeAsync(path, CancellationToken.None))).ReasonCode);
    }

    [Fact]
    public async Task A_concat_script_cannot_make_ffmpeg_read_another_file()
    {
        // Even past the text sniffing (no "ffconcat" header), the concat demuxer is not on the whitelist.
        var secret = await TestVideos.ColourAsync(_temp.Path, "red", 64, 64, 10, 1);
        var script = Path.Combine(_temp.Path, "script.mp4");
        await File.WriteAllTextAsync(script, $"\n\nfile '{secret}'\n");
        var ex = await Assert.ThrowsAsync<MediaRejectedException>(() => _prober.ProbeAsync(script, CancellationToken.None));
        Assert.Contains(ex.ReasonCode, new[] { ReasonCodes.Unreadable, ReasonCodes.UnsupportedFormat });
    }
}
