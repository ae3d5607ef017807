using Microsoft.Extensions.Logging.Abstractions;
using ServerlessVideo.Core;
using ServerlessVideo.Core.Planning;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Media.Tests;

public sealed class FrameExtractorTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly FrameExtractor _extractor = new(new MediaOptions(), NullLogger<FrameExtractor>.Instance);

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
    [InlineData(0.25)] // 4 s apart: one seek per frame
    [InlineData(1.0)]  // 1 s apart: one decode through the fps filter
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
    public async Task No_decodable_frame_is_a_decode_failure()
    {
        var path = await TestVideos.ColourAsync(_temp.Path, "red", 160, 120, 10, 1);
        var view = new FrameView(Fps: 10, ResizeShortSide: 32, CropSize: 32, ClipLength: 4);
        var ex = await Assert.ThrowsAsync<MediaRejectedException>(() => _extractor.ExtractAsync(path, view, new ClipSpan(0, 30), CancellationToken.None));
        Assert.Equal(ReasonCodes.DecodeFailed, ex.ReasonCode);
    }

    [Fact]
    public void The_filter_chain_resamples_resizes_the_short_side_and_crops() =>
        Assert.Equal(
            "fps=12.5:eof_action=pass,scale=w='if(lt(iw,ih),256,-2)':h='if(lt(iw,ih),-2,256)':flags=bilinear,crop=224:224",
            FrameExtractor.FilterFor(new FrameView(12.5, 256, 224, 16)));
}
