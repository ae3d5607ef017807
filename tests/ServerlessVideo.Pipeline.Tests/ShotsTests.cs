using System.Text.Json.Nodes;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Inference;
using ServerlessVideo.Pipeline.Api;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Pipeline.Tests;

public sealed class ShotsTests
{
    /// <summary>Red for 2 s, green for 3.2, blue for 2, hard cuts: three shots, each cut within a frame, each labelled by its colour.</summary>
    [Fact]
    public async Task A_video_of_three_scenes_gets_three_shots_at_the_cuts_each_with_its_own_label()
    {
        await using var h = await PipelineHarness.StartAsync(configure: x => x.Options.ShotThreshold = 0.3);
        var (id, _, _) = await h.RunAsync(await TestVideos.ScenesAsync(h.Scratch, ("red", 2), ("green", 3.2), ("blue", 2)));

        var response = await h.Service<VideoApi>().GetShotsAsync(id, CancellationToken.None);

        Assert.True(response.StatusCode == 200, response.Json);
        var body = JsonNode.Parse(response.Json)!;
        Assert.True(body["detected"]!.GetValue<bool>());
        var shots = body["shots"]!.AsArray();
        Assert.Equal(["red", "green", "blue"], shots.Select(s => s!["labels"]![0]!["label"]!.GetValue<string>()));
        Assert.Equal(0, shots[0]!["start"]!.GetValue<double>());
        Assert.Equal(2.0, shots[1]!["start"]!.GetValue<double>(), 0.04);
        Assert.Equal(5.2, shots[2]!["start"]!.GetValue<double>(), 0.04);
        Assert.Equal(7.2, shots[2]!["end"]!.GetValue<double>(), 0.05);

        // Clips were planned per shot: every model that spreads clips has some in each shot and none across a cut.
        var bounds = shots.Select(s => (Start: s!["start"]!.GetValue<double>(), End: s["end"]!.GetValue<double>())).ToList();
        var timeline = JsonNode.Parse((await h.Service<VideoApi>().GetTimelineAsync(id, CancellationToken.None)).Json)!;
        var registry = h.Service<ModelRegistry>();
        var spreading = timeline["models"]!.AsArray()
            .Where(m => registry.Get(m!["id"]!.GetValue<string>()).Manifest.Sampling.Strategy != SamplingSpec.Segments)
            .ToList();
        Assert.NotEmpty(spreading);
        foreach (var model in spreading)
        {
            var clips = model!["clips"]!.AsArray().Select(c => (Start: c!["start"]!.GetValue<double>(), End: c["end"]!.GetValue<double>())).ToList();
            Assert.All(clips, c => Assert.Contains(bounds, s => s.Start - 1e-6 <= c.Start && c.End <= s.End + 1e-6));
            Assert.All(bounds, s => Assert.Contains(clips, c => s.Start - 1e-6 <= c.Start && c.End <= s.End + 1e-6));
        }
    }

    [Fact]
    public async Task With_detection_off_the_whole_video_is_one_shot_and_says_so()
    {
        await using var h = await PipelineHarness.StartAsync();
        var (id, _, _) = await h.RunAsync(await TestVideos.ScenesAsync(h.Scratch, ("red", 2), ("blue", 1)));

        var body = JsonNode.Parse((await h.Service<VideoApi>().GetShotsAsync(id, CancellationToken.None)).Json)!;

        Assert.False(body["detected"]!.GetValue<bool>());
        var shot = Assert.Single(body["shots"]!.AsArray())!;
        Assert.Equal((0.0, "red"), (shot["start"]!.GetValue<double>(), shot["labels"]![0]!["label"]!.GetValue<string>()));
    }
}
