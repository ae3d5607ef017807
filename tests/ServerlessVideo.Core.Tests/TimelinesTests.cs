using ServerlessVideo.Core.Planning;
using ServerlessVideo.Core.Results;

namespace ServerlessVideo.Core.Tests;

public sealed class TimelinesTests
{
    private static readonly string[] Colours = ["red", "green", "blue"];

    private static float[] OneHot(string label, float p = 0.9f) =>
        [.. Colours.Select(c => c == label ? p : (1 - p) / 2)];

    private static ModelTimeline Model(string id, double weight, params (double Start, double End, string Label)[] clips) =>
        new(id, weight, Colours, "colours", [.. clips.Select(c => new ClipScores(c.Start, c.End, OneHot(c.Label)))]);

    [Fact]
    public void Neighbouring_clips_that_agree_merge_into_one_segment_and_the_video_is_covered_end_to_end()
    {
        var model = Model("m", 1, (0, 2, "red"), (2, 4, "red"), (4, 6, "green"), (6, 8, "green"), (8, 10, "blue"));

        var segments = Timelines.Segments([model], 10, 2);

        Assert.Equal([(0.0, 4.0, "red"), (4.0, 8.0, "green"), (8.0, 10.0, "blue")], segments.Select(s => (s.Start, s.End, s.Labels[0].Label)));
        Assert.All(segments, s => Assert.Equal(0.9, s.Labels[0].Confidence, 5));
        Assert.All(segments, s => Assert.Equal(2, s.Labels.Count));
    }

    [Fact]
    public void Gaps_between_clips_take_the_nearest_clip_and_the_tail_reaches_the_duration()
    {
        // Three short clips spread over 12 s, as uniform test-time sampling leaves them.
        var model = Model("m", 1, (1, 3, "red"), (5, 7, "red"), (9, 11, "blue"));

        var segments = Timelines.Segments([model], 12, 1);

        Assert.Equal(0, segments[0].Start);
        Assert.Equal(12, segments[^1].End);
        Assert.Equal(["red", "blue"], segments.Select(s => s.Labels[0].Label));
        // The gap 7–9 s is nearer the red clip for its first part: the cut falls at a clip boundary, 7 or 9.
        Assert.Contains(segments[0].End, new[] { 7.0, 9.0 });
    }

    [Fact]
    public void Models_with_different_clips_are_combined_by_consensus_weight_piece_by_piece()
    {
        // A heavy model says red for 0–6 s then blue; a light one says blue throughout, with clips cut elsewhere.
        var heavy = Model("heavy", 3, (0, 6, "red"), (6, 12, "blue"));
        var light = Model("light", 1, (0, 4, "blue"), (4, 8, "blue"), (8, 12, "blue"));

        var segments = Timelines.Segments([heavy, light], 12, 3);

        Assert.Equal([(0.0, 6.0, "red"), (6.0, 12.0, "blue")], segments.Select(s => (s.Start, s.End, s.Labels[0].Label)));
        var red = segments[0].Labels.Single(l => l.Label == "red").Confidence;
        Assert.Equal(((3 * 0.9) + (1 * 0.05)) / 4, red, 5);
    }

    [Fact]
    public void Over_a_range_weights_each_clip_by_how_much_of_it_overlaps()
    {
        var model = Model("m", 1, (0, 2, "red"), (2, 4, "blue"));

        // 1–4 s: one second of the red clip, two of the blue one.
        var scores = Timelines.Over([model], 1, 4);

        Assert.Equal(((1 * 0.9) + (2 * 0.05)) / 3, scores.Single(s => s.Label == "red").Confidence, 5);
        Assert.Equal(((1 * 0.05) + (2 * 0.9)) / 3, scores.Single(s => s.Label == "blue").Confidence, 5);
    }

    [Fact]
    public void Label_spaces_get_timelines_of_their_own_in_consensus_order()
    {
        var colours = Model("colours", 1, (0, 5, "red"), (5, 10, "green"));
        var actions = new ModelTimeline("actions", 2, ["run", "walk"], "actions", [new ClipScores(0, 10, [0.3f, 0.7f])]);

        var spaces = Timelines.ByLabelSpace([colours, actions], 10, 1);

        Assert.Equal(["actions", "colours"], spaces.Select(s => s.LabelSpace));
        Assert.Equal("walk", Assert.Single(spaces[0].Segments).Labels[0].Label);
        Assert.Equal(["red", "green"], spaces[1].Segments.Select(s => s.Labels[0].Label));
    }

    [Fact]
    public void Ten_thousand_overlapping_clips_of_400_labels_merge_into_their_runs()
    {
        // Nearly three hours of 2 s clips a second apart: each piece looks only at the clips that overlap it.
        var labels = Enumerable.Range(0, 400).Select(i => $"l{i}").ToArray();
        var clips = Enumerable.Range(0, 10_000)
            .Select(i => new ClipScores(i, i + 2, [.. Enumerable.Range(0, 400).Select(l => l == i / 100 ? 0.5f : 0.5f / 399)]))
            .ToList();
        var segments = Timelines.Segments([new ModelTimeline("m", 1, labels, "s", clips)], 10_001, 1);

        Assert.Equal(100, segments.Count);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"l{i}"), segments.Select(s => s.Labels[0].Label));
    }

    [Fact]
    public void A_clip_extent_runs_from_its_first_frame_to_the_end_of_its_last_within_the_video()
    {
        var view = new FrameView(Fps: 4, ResizeShortSide: 36, CropSize: 32, ClipLength: 8);

        Assert.Equal((1.0, 3.0), new ClipSpan(0, 1).Extent(view, 10));
        Assert.Equal((9.0, 10.0), new ClipSpan(1, 9).Extent(view, 10));
        // Frames picked by index carry their middles: each spans half an interval either side.
        Assert.Equal((0.0, 1.0), new ClipSpan(0, 0.125) { Times = [0.125, 0.375, 0.625, 0.875] }.Extent(view, 10));
    }
}
