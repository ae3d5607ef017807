using System.Text.Json.Nodes;
using ServerlessVideo.Core;
using ServerlessVideo.Onnx;
using ServerlessVideo.Pipeline.Api;
using ServerlessVideo.Pipeline.Messages;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Pipeline.Tests;

/// <summary>A model that loads but fails when it runs: the video completes with the others; only when all fail does it fail.</summary>
public sealed class PartialSuccessTests
{
    [Fact]
    public async Task A_model_that_fails_on_its_clips_is_reported_failed_while_the_video_completes_with_the_others()
    {
        await using var h = await PipelineHarness.StartAsync(configure: x => FailingModel.WriteTo(Path.Combine(x.ModelsPath, FailingModel.Id)));
        var (id, outcome, _) = await h.RunAsync(await TestVideos.ColourAsync(h.Scratch, "blue", 160, 120, 25, 3));

        Assert.Equal(VideoStatuses.Completed, outcome.Status);
        Assert.Equal("blue", outcome.TopLabel);
        var video = JsonNode.Parse((await h.Service<VideoApi>().GetVideoAsync(h.Client, id, CancellationToken.None)).Json)!;
        var failed = Assert.Single(video["failedModels"]!.AsArray())!;
        Assert.Equal(FailingModel.Id, failed["id"]!.GetValue<string>());
        Assert.Equal(ReasonCodes.InferenceFailed, failed["reasonCode"]!.GetValue<string>());
        Assert.Contains("Gather", failed["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        var models = video["models"]!.AsArray().ToDictionary(m => m!["id"]!.GetValue<string>());
        Assert.Equal(VideoStatuses.Failed, models[FailingModel.Id]!["status"]!.GetValue<string>());
        Assert.Empty(models[FailingModel.Id]!["labels"]!.AsArray());
        Assert.Equal(VideoStatuses.Completed, models[ColourMeanModel.Id]!["status"]!.GetValue<string>());
        // The consensus and the timeline come from the model that ran.
        Assert.Equal([ColourMeanModel.Id], video["consensus"]![0]!["models"]!.AsArray().Select(m => m!.GetValue<string>()));
        var timeline = JsonNode.Parse((await h.Service<VideoApi>().GetTimelineAsync(id, CancellationToken.None)).Json)!;
        Assert.Equal([ColourMeanModel.Id], timeline["models"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
        Assert.Equal(0, await h.ArtifactCountAsync(id));
    }

    [Fact]
    public async Task When_every_model_fails_the_video_fails_with_each_models_reason()
    {
        await using var h = await PipelineHarness.StartAsync(configure: x =>
        {
            Directory.Delete(Path.Combine(x.ModelsPath, ColourMeanModel.Id), recursive: true);
            FailingModel.WriteTo(Path.Combine(x.ModelsPath, FailingModel.Id));
        });
        var (id, outcome, _) = await h.RunAsync(await TestVideos.ColourAsync(h.Scratch, "red", 160, 120, 25, 2));

        Assert.Equal(VideoStatuses.Failed, outcome.Status);
        Assert.Equal(ReasonCodes.InferenceFailed, outcome.Failure!.ReasonCode);
        Assert.Contains(FailingModel.Id, outcome.Failure.Message, StringComparison.Ordinal);
        var row = Assert.Single(await h.RowsAsync(h.ModelRows, id));
        Assert.Equal((VideoStatuses.Failed, ReasonCodes.InferenceFailed), (row.GetString("Status"), row.GetString("ReasonCode")));
        var video = JsonNode.Parse((await h.Service<VideoApi>().GetVideoAsync(h.Client, id, CancellationToken.None)).Json)!;
        Assert.Equal(VideoStatuses.Failed, video["status"]!.GetValue<string>());
        Assert.Equal(FailingModel.Id, Assert.Single(video["failedModels"]!.AsArray())!["id"]!.GetValue<string>());
        Assert.Equal(0, await h.ArtifactCountAsync(id));
    }
}
