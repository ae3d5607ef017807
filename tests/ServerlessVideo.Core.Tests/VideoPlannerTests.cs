using ServerlessVideo.Core;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Core.Planning;

namespace ServerlessVideo.Core.Tests;

public sealed class VideoPlannerTests
{
    private static ModelManifest Model(string id, int clip = 8, double? fps = 4, int? interval = null, int clips = 3, int resize = 36, int crop = 32) => new()
    {
        Id = id,
        Family = "baseline",
        Inputs = [new ModelInput("video", "NCTHW")],
        Output = new ModelOutput(null, "softmax"),
        Sampling = new SamplingSpec(clip, fps, interval, clips),
        Preprocessing = new PreprocessingSpec(resize, crop, 255, [0, 0, 0], [1, 1, 1]),
    };

    private static VideoProbe Probe(double seconds, double fps = 25) => new(seconds, fps, 1920, 1080, 0, "h264", "mov,mp4", 1000);

    [Fact]
    public void Clips_are_spread_uniformly_each_centred_in_its_share()
    {
        // 60 s video, 2 s clips, 3 clips: slack 58 s split in thirds, each clip at the middle of its third.
        var starts = VideoPlanner.ClipStarts(60, 2, 3);
        Assert.Equal([9.667, 29.0, 48.333], starts);
        Assert.All(starts, s => Assert.InRange(s + 2, 0, 60));
    }

    [Fact]
    public void A_video_shorter_than_one_clip_gets_a_single_clip_at_zero() =>
        Assert.Equal([0.0], VideoPlanner.ClipStarts(1.5, 2, 5));

    [Fact]
    public void A_one_frame_video_is_sampled_at_its_only_frame()
    {
        // 1 frame at 24 fps lasts 0.042 s; TSN's first segment middle (0.003 s) would seek past the frame that starts at 0.
        var segments = Model("tsn", clip: 8, fps: null, clips: 1) with { Sampling = new SamplingSpec(8, null, null, 1, SamplingSpec.Segments) };
        var plan = VideoPlanner.Plan(Probe(0.042, 24), [segments, Model("clips")], new PlanOptions());
        Assert.All(plan.Views.SelectMany(v => v.Segments).SelectMany(s => s.Clips), c => Assert.Equal(0.0, c.StartSeconds));
    }

    [Fact]
    public void No_clip_starts_after_the_last_frame_starts()
    {
        // 2 s at 2 fps: frames at 0, 0.5, 1 and 1.5 s. Eight TSN segments put their middles up to 1.875 s.
        var segments = Model("tsn", clip: 8, fps: null, clips: 1) with { Sampling = new SamplingSpec(8, null, null, 1, SamplingSpec.Segments) };
        var plan = VideoPlanner.Plan(Probe(2, 2), [segments], new PlanOptions());
        Assert.All(plan.Views.SelectMany(v => v.Segments).SelectMany(s => s.Clips), c => Assert.InRange(c.StartSeconds, 0, 1.5));
    }

    [Fact]
    public void Models_sharing_sampling_and_geometry_share_one_view_and_its_frames()
    {
        var plan = VideoPlanner.Plan(Probe(30), [Model("a"), Model("b"), Model("c", crop: 24, resize: 28)], new PlanOptions());
        Assert.Equal(2, plan.Views.Count);
        var shared = Assert.Single(plan.Views, v => v.View.CropSize == 32);
        Assert.Equal(["a", "b"], shared.ModelIds);
    }

    [Fact]
    public void Frame_interval_sampling_becomes_a_rate_relative_to_the_source()
    {
        var view = VideoPlanner.ViewOf(Model("a", fps: null, interval: 5), Probe(10, 29.97));
        Assert.Equal(5.994, view.Fps);
        Assert.Equal(8 / 5.994, view.ClipSeconds, 6);
    }

    [Fact]
    public void Tsn_segments_take_the_middle_frame_of_each_of_t_equal_parts_of_the_video()
    {
        var tsn = Model("tsn", clip: 8, fps: null) with { Sampling = new SamplingSpec(8, null, null, 1, SamplingSpec.Segments) };
        var view = Assert.Single(VideoPlanner.Plan(Probe(16), [tsn], new PlanOptions()).Views);
        Assert.Equal(0.5, view.View.Fps);
        var clip = Assert.Single(view.Segments.SelectMany(s => s.Clips));
        // Segments of 2 s: middles at 1, 3, …, 15 s; the clip starts at the first and steps 2 s.
        Assert.Equal(1.0, clip.StartSeconds);
        Assert.Equal(15.0, clip.StartSeconds + ((view.View.ClipLength - 1) / view.View.Fps));
    }

    [Fact]
    public void Clips_are_cut_into_segments_of_the_configured_size()
    {
        var plan = VideoPlanner.Plan(Probe(120), [Model("a", clips: 10)], new PlanOptions { ClipsPerSegment = 4 });
        var view = Assert.Single(plan.Views);
        Assert.Equal([4, 4, 2], view.Segments.Select(s => s.Clips.Count));
        Assert.Equal(Enumerable.Range(0, 10), view.Segments.SelectMany(s => s.Clips).Select(c => c.Index));
    }

    [Fact]
    public void Planning_is_deterministic()
    {
        var a = VideoPlanner.Plan(Probe(77.7), [Model("x"), Model("y", clip: 16, clips: 5)], new PlanOptions());
        var b = VideoPlanner.Plan(Probe(77.7), [Model("y", clip: 16, clips: 5), Model("x")], new PlanOptions());
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(a), System.Text.Json.JsonSerializer.Serialize(b));
    }

    [Fact]
    public void With_shots_each_shot_is_sampled_as_a_video_of_its_own()
    {
        // 30 s in shots of 6, 21 and 3 s; 2 s clips (8 at 4 fps), 3 clips per shot, each centred in its third of the slack.
        var plan = VideoPlanner.Plan(Probe(30), [Model("a", clips: 3)], new PlanOptions(), cuts: [27, 6, 45, 0]);

        Assert.Equal([6.0, 27.0], plan.Cuts);
        var clips = Assert.Single(plan.Views).Segments.SelectMany(s => s.Clips).ToList();
        Assert.Equal(Enumerable.Range(0, 9), clips.Select(c => c.Index));
        Assert.Equal([0.667, 2.0, 3.333, 9.167, 15.5, 21.833, 27.167, 27.5, 27.833], clips.Select(c => c.StartSeconds));
    }

    [Fact]
    public void With_more_shots_than_the_clip_budget_holds_clips_are_shared_by_length_and_none_straddles_a_cut()
    {
        // As above with 5 clips and a budget of 5: shares round(5·6/30) = 1, round(3.5) = 4, round(0.5) → 1.
        var plan = VideoPlanner.Plan(Probe(30), [Model("a", clips: 5)], new PlanOptions { MaxShotClips = 5 }, cuts: [27, 6, 45, 0]);

        var cuts = Assert.IsAssignableFrom<IReadOnlyList<double>>(plan.Cuts);
        Assert.Equal([6.0, 27.0], cuts);
        var clips = Assert.Single(plan.Views).Segments.SelectMany(s => s.Clips).ToList();
        Assert.Equal(Enumerable.Range(0, 6), clips.Select(c => c.Index));
        Assert.Equal([2.0, 8.375, 13.125, 17.875, 22.625, 27.5], clips.Select(c => c.StartSeconds));
        var view = plan.Views[0].View;
        foreach (var clip in clips)
        {
            var (start, end) = clip.Extent(view, 30);
            Assert.DoesNotContain(cuts, cut => start < cut && cut < end);
        }
    }

    [Fact]
    public void A_shot_shorter_than_a_clip_gets_one_clip_from_its_start()
    {
        var starts = VideoPlanner.ShotClipStarts([(0, 10), (10, 10.5), (10.5, 20)], 20, 2, 4, maxClips: 4);

        Assert.Equal([2.0, 6.0, 10.0, 12.375, 16.125], starts);
    }

    [Fact]
    public void Without_cuts_or_for_tsn_segments_the_sampling_is_the_usual_one()
    {
        var tsn = Model("tsn", clip: 8, fps: null) with { Sampling = new SamplingSpec(8, null, null, 1, SamplingSpec.Segments) };
        var plain = VideoPlanner.Plan(Probe(30), [Model("a"), tsn], new PlanOptions());
        var cut = VideoPlanner.Plan(Probe(30), [Model("a"), tsn], new PlanOptions(), cuts: []);

        Assert.Null(plain.Cuts);
        Assert.Equal([], cut.Cuts);
        Assert.Equal(
            System.Text.Json.JsonSerializer.Serialize(plain.Views),
            System.Text.Json.JsonSerializer.Serialize(cut.Views));
    }
}
