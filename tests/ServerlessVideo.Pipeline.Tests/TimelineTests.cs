using System.Text.Json.Nodes;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Onnx;
using ServerlessVideo.Pipeline.Api;
using ServerlessVideo.Pipeline.Storage;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Pipeline.Tests;

public sealed class TimelineTests
{
    /// <summary>
    /// Red for 5 s, green for 6, blue for 7: the colour model takes nine 2 s clips (stored and fanned out, two to a
    /// segment), a second one five clips of 4 s at another rate. The timeline follows the colours, each cut within one
    /// clip of where the colour changes, and keeps every model's clips after the artifacts are gone.
    /// </summary>
    [Fact]
    public async Task A_video_whose_colour_changes_at_known_times_gets_a_timeline_of_those_colours()
    {
        await using var h = await PipelineHarness.StartAsync(configure: x =>
        {
            var fine = ColourMeanModel.Manifest() with { Sampling = new SamplingSpec(ColourMeanModel.ClipLength, Fps: 4, FrameInterval: null, NumClips: 9) };
            ColourMeanModel.WriteTo(Path.Combine(x.ModelsPath, ColourMeanModel.Id), fine);
            var coarse = fine with { Id = "colour-mean-coarse", Sampling = new SamplingSpec(ColourMeanModel.ClipLength, Fps: 2, FrameInterval: null, NumClips: 5), ConsensusWeight = 0.5 };
            ColourMeanModel.WriteTo(Path.Combine(x.ModelsPath, coarse.Id), coarse);
        });
        var path = Path.Combine(h.Scratch, "red-green-blue.mp4");
        await TestVideos.FfmpegAsync(
            "-f lavfi -i color=c=red:s=160x120:r=25:d=5 -f lavfi -i color=c=green:s=160x120:r=25:d=6 -f lavfi -i color=c=blue:s=160x120:r=25:d=7 " +
            "-filter_complex \"[0][1][2]concat=n=3:v=1:a=0\" -c:v libx264 -preset ultrafast -pix_fmt yuv420p", path);
        var (id, _, _) = await h.RunAsync(path);

        var response = await h.Service<VideoApi>().GetTimelineAsync(id, CancellationToken.None);

        Assert.Equal(200, response.StatusCode);
        var timeline = JsonNode.Parse(response.Json)!;
        Assert.Equal(18, timeline["durationSeconds"]!.GetValue<double>(), 1);
        var segments = timeline["segments"]!.AsArray();
        Assert.Equal(["red", "green", "blue"], segments.Select(s => s!["labels"]![0]!["label"]!.GetValue<string>()));
        Assert.Equal(0, segments[0]!["start"]!.GetValue<double>());
        Assert.Equal(18, segments[2]!["end"]!.GetValue<double>(), 1);
        Assert.InRange(segments[1]!["start"]!.GetValue<double>(), 5 - 2, 5 + 2);
        Assert.InRange(segments[2]!["start"]!.GetValue<double>(), 11 - 2, 11 + 2);
        for (var i = 1; i < segments.Count; i++)
        {
            Assert.Equal(segments[i - 1]!["end"]!.GetValue<double>(), segments[i]!["start"]!.GetValue<double>());
        }

        var models = timeline["models"]!.AsArray().ToDictionary(m => m!["id"]!.GetValue<string>(), m => m!["clips"]!.AsArray());
        Assert.Equal(9, models[ColourMeanModel.Id].Count);
        Assert.Equal(5, models["colour-mean-coarse"].Count);
        // Each clip of the fine model sees one colour or the cut between two: its start says which.
        foreach (var clip in models[ColourMeanModel.Id])
        {
            var (start, end) = (clip!["start"]!.GetValue<double>(), clip["end"]!.GetValue<double>());
            Assert.Equal(2, end - start, 2);
            var expected = end <= 5 ? "red" : start >= 5 && end <= 11 ? "green" : start >= 11 ? "blue" : null;
            if (expected is not null)
            {
                Assert.Equal(expected, clip["labels"]![0]!["label"]!.GetValue<string>());
            }
        }

        Assert.Equal(0, await h.ArtifactCountAsync(id));
        Assert.True(await h.Results.GetBlobClient(ResultBlobStore.TimelineBlobName(id)).ExistsAsync());
    }

    [Fact]
    public async Task A_video_that_is_not_completed_or_not_there_has_no_timeline()
    {
        await using var h = await PipelineHarness.StartAsync();
        var api = h.Service<VideoApi>();
        var (failed, _, _) = await h.RunAsync(await TestVideos.BadAsync("random", h.Scratch));

        var notCompleted = await api.GetTimelineAsync(failed, CancellationToken.None);
        var missing = await api.GetTimelineAsync("v" + new string('a', 26), CancellationToken.None);
        var invalid = await api.GetTimelineAsync("not-an-id", CancellationToken.None);

        Assert.Equal((409, "not_completed"), (notCompleted.StatusCode, JsonNode.Parse(notCompleted.Json)!["error"]!.GetValue<string>()));
        Assert.Equal((404, "not_found"), (missing.StatusCode, JsonNode.Parse(missing.Json)!["error"]!.GetValue<string>()));
        Assert.Equal((400, "invalid_id"), (invalid.StatusCode, JsonNode.Parse(invalid.Json)!["error"]!.GetValue<string>()));
    }
}
