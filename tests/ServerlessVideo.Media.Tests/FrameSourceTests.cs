using Microsoft.Extensions.Logging.Abstractions;
using ServerlessVideo.Core;
using ServerlessVideo.Core.Planning;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Media.Tests;

public sealed class FrameSourceTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly FrameSource _extractor = TestFrameSource.Create();

    public void Dispose() => _temp.Dispose();

    private static (double R, double G, double B) MeanColour(byte[] data)
    {
        double r = 0, g = 0, b = 0;
        for (var i = 0; i < data.Length; i += 3)
        {
            r += data[i];
            g += data[i + 1];
            b += data[i + 2];
        }

        var n = data.Length / 3.0;
        return (r / n, g / n, b / n);
    }

    [Fact]
    public async Task Extracts_t_frames_resized_and_centre_cropped_in_rgb_order()
    {
        var path = await TestVideos.ColourAsync(_temp.Path, "blue", 640, 360, 25, 3);
        var view = new FrameView(Fps: 8, ResizeShortSide: 40, CropSize: 32, ClipLength: 8);
        var clip = await _extractor.ExtractAsync(path, view, new ClipSpan(0, 0.5), CancellationToken.None);
        Assert.Equal((8, 32, 32), (clip.Frames, clip.Height, clip.Width));
        var (r, g, b) = MeanColour(clip.Data);
        Assert.True(b > 150 && r < 80 && g < 80, $"expected blue, got mean RGB {r:0},{g:0},{b:0}");
    }

    [Fact]
    public async Task A_clip_past_the_end_is_padded_with_its_last_frame()
    {
        var path = await TestVideos.ColourAsync(_temp.Path, "red", 160, 120, 10, 1);
        var view = new FrameView(Fps: 10, ResizeShortSide: 32, CropSize: 32, ClipLength: 16);
        var clip = await _extractor.ExtractAsync(path, view, new ClipSpan(0, 0.5), CancellationToken.None);
        Assert.Equal(16, clip.Frames);
        var last = clip.Data.AsSpan((clip.Frames - 1) * clip.FrameBytes, clip.FrameBytes);
        var before = clip.Data.AsSpan((clip.Frames - 2) * clip.FrameBytes, clip.FrameBytes);
        Assert.True(last.SequenceEqual(before));
    }

    [Fact]
    public async Task Portrait_and_rotated_videos_are_cropped_from_their_displayed_frame()
    {
        var path = await TestVideos.RotatedAsync(_temp.Path, "green", 320, 180);
        var view = new FrameView(Fps: 5, ResizeShortSide: 36, CropSize: 32, ClipLength: 4);
        var clip = await _extractor.ExtractAsync(path, view, new ClipSpan(0, 0), CancellationToken.None);
        var (r, g, b) = MeanColour(clip.Data);
        Assert.True(g > r && g > b, $"expected green, got {r:0},{g:0},{b:0}");
    }

    [Theory]
    [InlineData(0.25)] // 4 s apart: ranges around each time
    [InlineData(1.0)]  // 1 s apart: one range
    public async Task Frames_are_taken_at_their_sampled_times_on_either_decode_path(double fps)
    {
        var path = await TestVideos.RedThenBlueAsync(_temp.Path);
        var view = new FrameView(Fps: fps, ResizeShortSide: 32, CropSize: 32, ClipLength: 4);
        // Frames at 8.5 + k/fps: with 4 s spacing 8.5 (red), 12.5, 16.5, 20.5 → past the end, padded (blue);
        // with 1 s spacing 8.5, 9.5 (red), 10.5, 11.5 (blue).
        var clip = await _extractor.ExtractAsync(path, view, new ClipSpan(0, 8.5), CancellationToken.None);
        var colours = Enumerable.Range(0, 4).Select(t => MeanColour(clip.Data.AsSpan(t * clip.FrameBytes, clip.FrameBytes).ToArray()))
            .Select(c => c.R > c.B ? "red" : "blue").ToList();
        Assert.Equal(fps < 0.5 ? ["red", "blue", "blue", "blue"] : ["red", "red", "blue", "blue"], colours);
    }

    [Fact]
    public async Task Frames_the_probe_promised_but_the_stream_lacks_are_a_decode_failure()
    {
        var path = await TestVideos.ColourAsync(_temp.Path, "red", 160, 120, 10, 1);
        var view = new FrameView(Fps: 10, ResizeShortSide: 32, CropSize: 32, ClipLength: 4);
        var claims30Seconds = new VideoProbe(30, 10, 160, 120, 0, "h264", "mov,mp4,m4a,3gp,3g2,mj2", 1000);
        var ex = await Assert.ThrowsAsync<MediaRejectedException>(() => _extractor.ExtractAsync(
            path, claims30Seconds, [new ClipRequest(view, new ClipSpan(0, 0)), new ClipRequest(view, new ClipSpan(1, 20)), new ClipRequest(view, new ClipSpan(2, 29))], CancellationToken.None));
        Assert.Equal(ReasonCodes.DecodeFailed, ex.ReasonCode);
    }

    [Fact]
    public async Task Each_frame_is_the_one_on_screen_at_its_time_and_views_share_one_decode()
    {
        // 10 fps with the frame number drawn as a grey level: frame n starts at n/10 s.
        var path = await TestVideos.CountingAsync(_temp.Path, 10, 6);
        var probe = await new VideoProber(new MediaOptions(), NullLogger<VideoProber>.Instance).ProbeAsync(path, CancellationToken.None);
        var slow = new FrameView(Fps: 2, ResizeShortSide: 32, CropSize: 32, ClipLength: 4);
        var fast = new FrameView(Fps: 10, ResizeShortSide: 32, CropSize: 32, ClipLength: 3);
        var clips = await _extractor.ExtractAsync(path, probe, [new ClipRequest(slow, new ClipSpan(0, 0.25)), new ClipRequest(fast, new ClipSpan(0, 4.05))], CancellationToken.None);
        // 0.25, 0.75, 1.25, 1.75 s show frames 2, 7, 12, 17; 4.05, 4.15, 4.25 s show 40, 41, 42.
        Assert.Equal([2, 7, 12, 17], FrameNumbers(clips[0]));
        Assert.Equal([40, 41, 42], FrameNumbers(clips[1]));
    }

    private static int[] FrameNumbers(Core.Tensors.ClipTensor clip) =>
        [.. Enumerable.Range(0, clip.Frames).Select(t => TestVideos.CountOf(clip.Data.AsSpan(t * clip.FrameBytes, clip.FrameBytes)))];

    [Fact]
    public void The_geometry_filter_resizes_the_short_side_and_crops() =>
        Assert.Equal(
            "scale=w='if(lt(iw,ih),256,-2)':h='if(lt(iw,ih),-2,256)':flags=bilinear,crop=224:224",
            FrameSource.GeometryFilter(new FrameView(12.5, 256, 224, 16)));

    [Fact]
    public async Task Asked_to_decode_on_the_gpu_where_there_is_none_it_decodes_on_the_cpu_and_stays_there()
    {
        var source = TestFrameSource.Create(new MediaOptions { HardwareDecoding = "cuda" });
        Assert.True(source.UsesHardware);
        var path = await TestVideos.ColourAsync(_temp.Path, "blue", 320, 240, 25, 2);
        var clip = await source.ExtractAsync(path, new FrameView(Fps: 4, ResizeShortSide: 32, CropSize: 32, ClipLength: 4), new ClipSpan(0, 0.5), CancellationToken.None);
        var (r, g, b) = MeanColour(clip.Data);
        Assert.True(b > 150 && r < 80 && g < 80, $"expected blue, got mean RGB {r:0},{g:0},{b:0}");
        if (!File.Exists("/dev/nvidia0"))
        {
            Assert.False(source.UsesHardware);
        }
    }
}
