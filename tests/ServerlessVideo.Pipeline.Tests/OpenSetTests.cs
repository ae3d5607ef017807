using System.Text.Json.Nodes;
using ServerlessVideo.Core.Results;
using ServerlessVideo.Pipeline.Api;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Pipeline.Tests;

public sealed class OpenSetTests
{
    /// <summary>
    /// Grey has no dominant colour: the colour model gives each label a third, below the threshold, so the video is
    /// unknown while its candidates stay listed; a red video keeps its label.
    /// </summary>
    [Fact]
    public async Task A_consensus_below_the_threshold_answers_unknown_and_keeps_its_candidates()
    {
        await using var h = await PipelineHarness.StartAsync(configure: x => x.Options.UnknownBelow = 0.5);
        var (grey, greyOutcome, _) = await h.RunAsync(await TestVideos.ColourAsync(h.Scratch, "gray", 160, 120, 25, 2));
        var (red, redOutcome, _) = await h.RunAsync(await TestVideos.ColourAsync(h.Scratch, "red", 160, 120, 25, 2));
        var api = h.Service<VideoApi>();

        Assert.Equal(Consensus.Unknown, greyOutcome.TopLabel);
        Assert.Equal("red", redOutcome.TopLabel);
        var video = JsonNode.Parse((await api.GetVideoAsync(h.Client, grey, CancellationToken.None)).Json)!;
        Assert.Equal(Consensus.Unknown, video["label"]!.GetValue<string>());
        var candidates = video["labels"]!.AsArray();
        Assert.Equal(3, candidates.Count);
        Assert.All(candidates, c => Assert.Equal(1.0 / 3, c!["confidence"]!.GetValue<double>(), 2));
        Assert.Equal("red", JsonNode.Parse((await api.GetVideoAsync(h.Client, red, CancellationToken.None)).Json)!["label"]!.GetValue<string>());

        var unknown = JsonNode.Parse((await api.ListVideosAsync(h.Client, new VideoListQuery(Label: Consensus.Unknown), CancellationToken.None)).Json)!;
        Assert.Equal([grey], unknown["items"]!.AsArray().Select(v => v!["id"]!.GetValue<string>()));
    }
}
