using ServerlessVideo.Testing;
using ServerlessVideo.Media.Decoding;

namespace ServerlessVideo.Media.Tests;

public sealed class DecodePlannerTests
{
    private const double Frame = 1 / 30.0;

    [Fact]
    public void Close_times_of_a_short_video_are_one_decode_keeping_the_frames_around_each_time()
    {
        var windows = DecodePlanner.Plan([0.5, 1.0, 0.25, 1.0], Frame, 3.9, 4, null);
        var window = Assert.Single(windows);
        Assert.Equal(0.25 - (1.5 * Frame), window.StartSeconds, 6);
        Assert.Equal(1.0 + (0.5 * Frame), window.EndSeconds, 6);
        Assert.Equal(3, window.Keep.Count);
    }

    [Fact]
    public void Times_past_the_last_frame_are_served_by_it()
    {
        var window = Assert.Single(DecodePlanner.Plan([9.0, 12.0], Frame, 9.5, 9.53, null));
        Assert.Equal(9.5 + (0.5 * Frame), window.EndSeconds, 6);
    }

    [Fact]
    public void Far_apart_times_are_separate_decodes_unless_they_share_a_gop()
    {
        double[] times = [3.75, 9.0, 9.5, 10.0, 26.25, 56.25];
        // Without an index: gaps over two seconds split.
        Assert.Equal(4, DecodePlanner.Plan(times, Frame, 59.9, 60, null).Count);
        // Keyframes every 8.33 s: 9–10 s starts its own GOP at 8.33; 3.75 is in the GOP from 0.
        double[] keyframes = [0, 8.333, 16.667, 25, 33.333, 41.667, 50, 58.333];
        var windows = DecodePlanner.Plan(times, Frame, 59.9, 60, keyframes);
        Assert.Equal([0, 8.333, 25, 50], windows.Select(w => w.DecodeFromSeconds));
        Assert.True(windows.Sum(w => w.DecodedSeconds) < 0.5 * 60);
    }

    [Fact]
    public void Ranges_in_one_gop_are_decoded_once()
    {
        // 20 s GOPs: 2 s and 12 s would both decode from 0, so they are one range.
        var windows = DecodePlanner.Plan([2.0, 12.0, 45.0], Frame, 59.9, 60, [0, 20, 40]);
        Assert.Equal(2, windows.Count);
        Assert.Equal(0, windows[0].DecodeFromSeconds);
        Assert.Equal(2, windows[0].Keep.Count);
    }

    [Fact]
    public void Ranges_costing_most_of_the_video_become_one_full_pass()
    {
        // Keyframes every 10 s and a time just before each next one: six ranges of 9 s cost more than 80 % of a pass.
        var window = Assert.Single(DecodePlanner.Plan([9.0, 19.0, 29.0, 39.0, 49.0, 59.0], Frame, 59.9, 60, [0, 10, 20, 30, 40, 50]));
        Assert.Equal(0, window.StartSeconds);
        Assert.Equal(6, window.Keep.Count);
    }

    [Fact]
    public void The_keyframe_index_is_read_from_a_framecrc_listing_in_its_time_base()
    {
        var index = KeyframeIndex.Parse("#software: Lavf59.27.100\n#tb 0: 1/15360\n#media_type 0: video\n0,      -1024,          0,      512,  1414524, 0xcbe64151\n0,     126464,     129024,      512,   314640, 0xed6cfcca\n");
        // The second keyframe's pts (8.4 s) is the demuxer's mistake; its dts plus the first's reorder delay is right.
        Assert.Equal([0.0, 8.3], index!.Select(k => Math.Round(k, 6)));
        Assert.Null(KeyframeIndex.Parse("0, 0, 0, 512, 10, 0x1\n"));
        Assert.Null(KeyframeIndex.Parse("#tb 0: 1/25\n0, 0, x, 1, 10, 0x1\n"));
        Assert.Null(KeyframeIndex.Parse("#tb 0: 1/25\n"));
    }

    [Fact]
    public async Task The_keyframe_index_of_a_real_file_lists_its_gop_starts()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "gop.mp4");
        await TestVideos.FfmpegAsync("-f lavfi -i testsrc2=s=64x64:r=10:d=5 -c:v libx264 -g 10 -sc_threshold 0 -bf 2 -pix_fmt yuv420p", path);
        var index = await KeyframeIndex.ReadAsync(null, MediaInput.File(path), TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal([0.0, 1.0, 2.0, 3.0, 4.0], index!.Select(k => Math.Round(k, 3)));
    }

    [Fact]
    public void Showinfo_lines_give_frame_times_and_nothing_else_does()
    {
        Assert.Equal(0.54, FfmpegProcess.ShowinfoTime("[Parsed_showinfo_3 @ 0x55] [info] n:   4 pts:   6912 pts_time:0.54    pos:    55292 fmt:rgb24"));
        Assert.Null(FfmpegProcess.ShowinfoTime("[Parsed_showinfo_3 @ 0x55] [info] config in time_base: 1/12800, frame_rate: 25/1"));
        Assert.Null(FfmpegProcess.ShowinfoTime("[info] frame=    8 fps=0.0 q=-0.0 Lsize=      96kB time=00:00:00.72"));
    }
}
