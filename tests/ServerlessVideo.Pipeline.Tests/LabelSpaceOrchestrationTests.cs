using System.Text.Json.Nodes;
using Azure.Storage.Blobs.Models;
using Microsoft.DurableTask.Client;
using ServerlessVideo.Core;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Onnx;
using ServerlessVideo.Pipeline.Api;
using ServerlessVideo.Pipeline.Messages;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Pipeline.Tests;

/// <summary>
/// Models of two label spaces side by side: the colour baseline (labels red/green/blue, an unnamed space) and the same
/// graph with French labels in the space <c>couleurs</c>. Consensus stays per space; uploads and the setting choose
/// which models run.
/// </summary>
public sealed class LabelSpaceOrchestrationTests
{
    private const string French = "colour-mean-fr";
    private const string FrenchSpace = "couleurs";

    [Fact]
    public async Task Each_label_space_gets_its_own_consensus_and_the_heaviest_is_the_answer()
    {
        await using var h = await StartAsync();
        var path = await TestVideos.ColourAsync(h.Scratch, "red", 320, 240, 25, 3);
        var (id, outcome, _) = await RunAsync(h, path, metadata: null);

        Assert.Equal(VideoStatuses.Completed, outcome.Status);
        var video = await GetAsync(h, id);
        var consensus = video["consensus"]!.AsArray();
        Assert.Equal([LoadedModel.UnnamedSpace(ColourMeanModel.Labels), FrenchSpace], consensus.Select(b => b!["labelSpace"]!.GetValue<string>()));
        Assert.Equal("red", consensus[0]!["majorityLabel"]!.GetValue<string>());
        Assert.Equal([ColourMeanModel.Id], consensus[0]!["models"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal("rouge", consensus[1]!["majorityLabel"]!.GetValue<string>());
        Assert.Equal(1.0, consensus[1]!["agreement"]!.GetValue<double>());
        Assert.DoesNotContain(consensus[1]!["labels"]!.AsArray(), l => l!["label"]!.GetValue<string>() is "red" or "green" or "blue");

        // The video's answer is the heavier space's, whole: not an average over six labels of two spaces.
        Assert.Equal("red", video["labels"]![0]!["label"]!.GetValue<string>());
        Assert.Equal(consensus[0]!["labels"]!.ToJsonString(), video["labels"]!.ToJsonString());
        Assert.Equal(consensus[0]!["labelSpace"]!.GetValue<string>(), video["labelSpace"]!.GetValue<string>());
        Assert.Equal(FrenchSpace, video["models"]!.AsArray().Single(m => m!["id"]!.GetValue<string>() == French)!["labelSpace"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(FrenchSpace)]
    [InlineData(French)]
    public async Task An_uploads_models_metadata_picks_models_by_id_or_label_space(string models)
    {
        await using var h = await StartAsync();
        var path = await TestVideos.ColourAsync(h.Scratch, "blue", 320, 240, 25, 3);
        var (id, outcome, _) = await RunAsync(h, path, new Dictionary<string, string> { ["models"] = models });

        Assert.Equal(VideoStatuses.Completed, outcome.Status);
        Assert.Equal("bleu", outcome.TopLabel);
        Assert.Equal([French], (await h.RowsAsync(h.ModelRows, id)).Select(r => r.RowKey));
        var block = Assert.Single((await GetAsync(h, id))["consensus"]!.AsArray());
        Assert.Equal(FrenchSpace, block!["labelSpace"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_models_setting_applies_when_the_upload_names_none()
    {
        await using var h = await StartAsync(x => x.Options.Models = ColourMeanModel.Id);
        var path = await TestVideos.ColourAsync(h.Scratch, "green", 320, 240, 25, 3);
        var (id, outcome, _) = await RunAsync(h, path, metadata: null);

        Assert.Equal("green", outcome.TopLabel);
        Assert.Equal([ColourMeanModel.Id], (await h.RowsAsync(h.ModelRows, id)).Select(r => r.RowKey));
    }

    [Fact]
    public async Task A_name_that_is_no_model_or_space_fails_the_video_with_a_message_that_lists_what_there_is()
    {
        await using var h = await StartAsync();
        var path = await TestVideos.ColourAsync(h.Scratch, "red", 320, 240, 25, 3);
        var (id, outcome, _) = await RunAsync(h, path, new Dictionary<string, string> { ["models"] = "kinetics-400," + French });

        Assert.Equal(VideoStatuses.Failed, outcome.Status);
        Assert.Equal(ReasonCodes.ModelUnavailable, outcome.Failure!.ReasonCode);
        var message = outcome.Failure.Message;
        Assert.Contains("metadata models", message);
        Assert.Contains("'kinetics-400'", message);
        Assert.Contains(French, message);
        Assert.Contains(FrenchSpace, message);
        Assert.Empty(await h.RowsAsync(h.ModelRows, id));
        Assert.True(await h.Videos.GetBlobClient(Path.GetFileName(path)).ExistsAsync(), "the upload stays for a retry with other metadata");
    }

    private static async Task<PipelineHarness> StartAsync(Action<PipelineHarness>? configure = null) =>
        await PipelineHarness.StartAsync(configure: x =>
        {
            var manifest = ColourMeanModel.Manifest() with { Id = French, LabelSpace = FrenchSpace, ConsensusWeight = 0.5 };
            var dir = Path.Combine(x.ModelsPath, French);
            ColourMeanModel.WriteTo(dir, manifest);
            File.WriteAllText(Path.Combine(dir, "labels.txt"), "rouge\nvert\nbleu\n");
            configure?.Invoke(x);
        });

    private static async Task<(string Id, VideoOutcome Outcome, OrchestrationMetadata Instance)> RunAsync(
        PipelineHarness h, string path, IDictionary<string, string>? metadata)
    {
        var name = Path.GetFileName(path);
        var uploaded = await h.Videos.GetBlobClient(name).UploadAsync(path, new BlobUploadOptions { Metadata = metadata });
        var id = await h.StartAsync(name, uploaded.Value.ETag.ToString());
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var instance = await h.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        return (id, instance.ReadOutputAs<VideoOutcome>()!, instance);
    }

    private static async Task<JsonNode> GetAsync(PipelineHarness h, string id)
    {
        var response = await h.Service<VideoApi>().GetVideoAsync(h.Client, id, CancellationToken.None);
        Assert.Equal(200, response.StatusCode);
        return JsonNode.Parse(response.Json)!;
    }
}
