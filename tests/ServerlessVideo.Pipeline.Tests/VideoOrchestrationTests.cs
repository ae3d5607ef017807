using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessVideo.Core;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Core.Results;
using ServerlessVideo.Onnx;
using ServerlessVideo.Pipeline.Api;
using ServerlessVideo.Pipeline.Messages;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Pipeline.Tests;

public sealed class VideoOrchestrationTests
{
    [Theory]
    [InlineData("red", "mp4")]
    [InlineData("blue", "webm")]
    public async Task A_video_is_classified_stored_once_and_its_artifacts_deleted(string colour, string container)
    {
        await using var h = await PipelineHarness.StartAsync(twoModels: true);
        var path = await TestVideos.ColourAsync(h.Scratch, colour, 640, 360, 25, 6, container);
        var (id, outcome, instance) = await h.RunAsync(path);

        Assert.Equal(VideoStatuses.Completed, outcome.Status);
        Assert.Equal(colour, outcome.TopLabel);
        Assert.Equal("done", instance.ReadCustomStatusAs<VideoProgress>()!.Stage);

        var video = Assert.Single(await h.RowsAsync(h.VideoRows, id));
        Assert.Equal(VideoStatuses.Completed, video.GetString("Status"));
        Assert.Equal(colour, video.GetString("TopLabel"));
        Assert.Equal(colour, video.GetString("MajorityLabel"));
        Assert.Equal(1.0, video.GetDouble("Agreement"));
        Assert.Equal("CPUExecutionProvider", video.GetString("Provider"));
        Assert.Equal(640, video.GetInt32("Width"));
        var timings = JsonSerializer.Deserialize<Dictionary<string, double>>(video.GetString("TimingsJson"))!;
        Assert.Equal(["extract", "infer", "probe"], timings.Keys.Order());

        var models = await h.RowsAsync(h.ModelRows, id);
        Assert.Equal(["colour-mean", "colour-mean-slow"], models.Select(m => m.RowKey).Order());
        Assert.All(models, m => Assert.Equal(colour, m.GetString("TopLabel")));
        // 6 s at 4 fps with 8-frame clips → 3 clips; at 2 fps → 5 clips of 4 s spread over 6 s.
        Assert.Equal(3, models.Single(m => m.RowKey == "colour-mean").GetInt32("Clips"));
        Assert.Equal(5, models.Single(m => m.RowKey == "colour-mean-slow").GetInt32("Clips"));
        var labels = JsonSerializer.Deserialize<List<LabelScore>>(video.GetString("LabelsJson"), PipelineJson.Options)!;
        Assert.Equal(3, labels.Count);
        Assert.Equal(1.0, labels.Sum(l => l.Confidence), 3);

        Assert.Equal(0, await h.ArtifactCountAsync(id));
    }

    [Theory]
    [InlineData("torchvision")]
    [InlineData("pil")]
    [InlineData("opencv")]
    public async Task A_model_with_a_reference_libraries_resize_reads_frames_decoded_at_their_own_size(string library)
    {
        await using var h = await PipelineHarness.StartAsync(configure: x =>
        {
            var manifest = ColourMeanModel.Manifest() with
            {
                Preprocessing = ColourMeanModel.Manifest().Preprocessing with { ResizeShortSide = 0, Resize = new ResizeSpec { Library = library, ShortSide = 40 } },
            };
            ColourMeanModel.WriteTo(Path.Combine(x.ModelsPath, ColourMeanModel.Id), manifest);
        });
        var path = await TestVideos.ColourAsync(h.Scratch, "green", 640, 360, 25, 3);
        var (id, outcome, _) = await h.RunAsync(path);

        Assert.True(outcome.Status == VideoStatuses.Completed, $"{outcome.Status}: {outcome.Failure}");
        Assert.Equal("green", outcome.TopLabel);
        Assert.Equal(3, Assert.Single(await h.RowsAsync(h.ModelRows, id)).GetInt32("Clips"));
    }

    [Theory]
    [InlineData("torchvision", "ten", 10)]
    [InlineData("opencv", "three", 3)]
    public async Task A_model_with_test_time_crops_averages_every_crop_of_every_clip(string library, string crops, int count)
    {
        await using var h = await PipelineHarness.StartAsync(configure: x =>
        {
            var baseline = ColourMeanModel.Manifest();
            var manifest = baseline with
            {
                Preprocessing = baseline.Preprocessing with
                {
                    ResizeShortSide = 0,
                    Resize = new ResizeSpec { Library = library, ShortSide = baseline.Preprocessing.CropSize },
                    Crops = crops,
                },
            };
            ColourMeanModel.WriteTo(Path.Combine(x.ModelsPath, ColourMeanModel.Id), manifest);
        });
        var path = await TestVideos.ColourAsync(h.Scratch, "blue", 640, 360, 25, 3);
        var (id, outcome, _) = await h.RunAsync(path);

        Assert.True(outcome.Status == VideoStatuses.Completed, $"{outcome.Status}: {outcome.Failure}");
        Assert.Equal("blue", outcome.TopLabel);
        Assert.Equal(3 * count, Assert.Single(await h.RowsAsync(h.ModelRows, id)).GetInt32("Clips"));
    }

    /// <summary>
    /// Red for 12 s, then blue for 6: two of the three clips are red. Averaging probabilities gives red
    /// (2·softmax(red) + softmax(blue)) / 3; averaging logits (TSN's consensus) gives softmax of the mean scores, a
    /// different number; both are probabilities over the three labels.
    /// </summary>
    [Fact]
    public async Task Averaging_logits_applies_the_activation_to_the_mean_over_clips()
    {
        var confidence = new Dictionary<string, double>();
        foreach (var average in new[] { "probabilities", ModelOutput.AverageLogits })
        {
            await using var h = await PipelineHarness.StartAsync(configure: x =>
            {
                var baseline = ColourMeanModel.Manifest();
                var manifest = baseline with { Output = baseline.Output with { Average = average } };
                ColourMeanModel.WriteTo(Path.Combine(x.ModelsPath, ColourMeanModel.Id), manifest);
            });
            // 12 s red, 6 s blue: the three clips start at 2.7, 8 and 13.3 s.
            var path = Path.Combine(h.Scratch, "red-12-blue-6.mp4");
            await TestVideos.FfmpegAsync("-f lavfi -i color=c=red:s=160x120:r=25:d=12 -f lavfi -i color=c=blue:s=160x120:r=25:d=6 " +
                "-filter_complex \"[0][1]concat=n=2:v=1:a=0\" -c:v libx264 -preset ultrafast -pix_fmt yuv420p", path);
            var (id, outcome, _) = await h.RunAsync(path);

            Assert.Equal("red", outcome.TopLabel);
            var labels = JsonSerializer.Deserialize<List<LabelScore>>(Assert.Single(await h.RowsAsync(h.ModelRows, id)).GetString("LabelsJson"), PipelineJson.Options)!;
            Assert.Equal(1.0, labels.Sum(l => l.Confidence), 3);
            confidence[average] = labels[0].Confidence;
        }

        Assert.True(Math.Abs(confidence["probabilities"] - confidence[ModelOutput.AverageLogits]) > 1e-3, string.Join(", ", confidence));
    }

    [Fact]
    public async Task A_one_frame_8k_video_is_classified_from_its_only_frame()
    {
        await using var h = await PipelineHarness.StartAsync(twoModels: true);
        var path = await TestVideos.SingleFrameAsync(h.Scratch, 7680, 4320);
        var (id, outcome, _) = await h.RunAsync(path);

        Assert.True(outcome.Status == VideoStatuses.Completed, $"{outcome.Status}: {outcome.Failure}");
        var models = await h.RowsAsync(h.ModelRows, id);
        Assert.Equal(2, models.Count);
        Assert.Equal(7680, Assert.Single(await h.RowsAsync(h.VideoRows, id)).GetInt32("Width"));
    }

    [Fact]
    public async Task A_model_that_reads_flow_gets_its_strided_and_flow_streams_computed_beside_inference()
    {
        await using var h = await PipelineHarness.StartAsync(configure: x => StreamMeansModel.WriteTo(Path.Combine(x.ModelsPath, StreamMeansModel.Id)));
        var path = await TestVideos.ColourAsync(h.Scratch, "red", 320, 240, 25, 4, "mp4");
        var (id, outcome, _) = await h.RunAsync(path);

        Assert.Equal(VideoStatuses.Completed, outcome.Status);
        var video = Assert.Single(await h.RowsAsync(h.VideoRows, id));
        var timings = JsonSerializer.Deserialize<Dictionary<string, double>>(video.GetString("TimingsJson"))!;
        Assert.Equal(["extract", "infer", "probe"], timings.Keys.Order());
        var probe = (await h.RowsAsync(h.ModelRows, id)).Single(m => m.RowKey == StreamMeansModel.Id);
        Assert.Equal(2, probe.GetInt32("Clips"));
        // Red background with a small white square moving right: c0 = (mean red + 3·mean x-flow) / 4 is at most 0.25
        // from the colour alone, so more means rightward flow arrived; c1 = (mean green + 3·mean y-flow) / 4 stays small.
        var scores = JsonSerializer.Deserialize<List<LabelScore>>(probe.GetString("LabelsJson"), PipelineJson.Options)!.ToDictionary(l => l.Label, l => l.Confidence);
        Assert.InRange(scores["c0"], 0.3, 1.0);
        Assert.InRange(scores["c1"], -0.1, 0.1);
        Assert.Equal(0, await h.ArtifactCountAsync(id));
    }

    [Fact]
    public async Task A_model_that_cannot_load_is_left_out_and_named_in_the_result_while_the_others_classify()
    {
        // A copy of a built-in model with its model.onnx cut short, beside the colour baseline.
        await using var h = await PipelineHarness.StartAsync(configure: x => ModelCopies.CopyTruncated("tsn-synthmotion", x.ModelsPath));
        var path = await TestVideos.ColourAsync(h.Scratch, "green", 320, 240, 25, 3);
        var (id, outcome, _) = await h.RunAsync(path);

        Assert.Equal(VideoStatuses.Completed, outcome.Status);
        Assert.Equal("green", outcome.TopLabel);
        Assert.Equal([ColourMeanModel.Id], (await h.RowsAsync(h.ModelRows, id)).Select(m => m.RowKey));
        var row = Assert.Single(await h.RowsAsync(h.VideoRows, id));
        var stored = JsonSerializer.Deserialize<List<UnavailableModel>>(row.GetString("UnavailableModelsJson"), PipelineJson.Options)!;
        var skipped = Assert.Single(stored);
        Assert.Equal("tsn-synthmotion", skipped.Id);
        Assert.Equal(ReasonCodes.ModelUnavailable, skipped.ReasonCode);
        Assert.Contains("Protobuf parsing failed", skipped.Message);

        // The API resource lists it beside the models that ran.
        var response = await h.Service<VideoApi>().GetVideoAsync(h.Client, id, CancellationToken.None);
        Assert.Equal(200, response.StatusCode);
        var resource = JsonNode.Parse(response.Json)!;
        Assert.Equal([ColourMeanModel.Id], resource["models"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
        Assert.Equal("tsn-synthmotion", resource["unavailableModels"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(ReasonCodes.ModelUnavailable, resource["unavailableModels"]![0]!["reasonCode"]!.GetValue<string>());
        Assert.Equal(0, await h.ArtifactCountAsync(id));
    }

    [Fact]
    public async Task When_no_model_can_load_the_video_fails_with_model_unavailable_instead_of_crashing()
    {
        await using var h = await PipelineHarness.StartAsync(configure: x =>
        {
            Directory.Delete(Path.Combine(x.ModelsPath, ColourMeanModel.Id), recursive: true);
            ModelCopies.CopyTruncated("tsn-synthmotion", x.ModelsPath);
        });
        var path = await TestVideos.ColourAsync(h.Scratch, "red", 160, 120, 25, 2);
        var (id, outcome, _) = await h.RunAsync(path, TimeSpan.FromSeconds(60));

        Assert.Equal(VideoStatuses.Failed, outcome.Status);
        Assert.Equal(ReasonCodes.ModelUnavailable, outcome.Failure!.ReasonCode);
        Assert.Contains("No model is available", outcome.Failure.Message);
        Assert.Contains("tsn-synthmotion", outcome.Failure.Message);
        var row = Assert.Single(await h.RowsAsync(h.VideoRows, id));
        Assert.Equal(ReasonCodes.ModelUnavailable, row.GetString("ReasonCode"));
        Assert.Contains("tsn-synthmotion", row.GetString("UnavailableModelsJson"));
        Assert.Empty(await h.RowsAsync(h.ModelRows, id));
        Assert.Equal(0, await h.ArtifactCountAsync(id));
    }

    /// <summary>Every bad input, from a downloaded copy and read in place from storage.</summary>
    public static IEnumerable<object[]> BadInputs =>
        from b in TestVideos.BadInputs from streamed in new[] { false, true } select new object[] { b.Kind, b.Reason, streamed };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_ends_the_orchestration_with_a_failed_row_and_a_reason(string kind, string reason, bool streamed)
    {
        await using var h = await PipelineHarness.StartAsync(configure: x => x.Options.StreamFromBytes = streamed ? 0 : null);
        var path = await TestVideos.BadAsync(kind, h.Scratch);
        var (id, outcome, _) = await h.RunAsync(path, TimeSpan.FromSeconds(60));

        Assert.Equal(VideoStatuses.Failed, outcome.Status);
        Assert.Equal(reason, outcome.Failure!.ReasonCode);
        var row = Assert.Single(await h.RowsAsync(h.VideoRows, id));
        Assert.Equal(VideoStatuses.Failed, row.GetString("Status"));
        Assert.Equal(reason, row.GetString("ReasonCode"));
        Assert.False(string.IsNullOrWhiteSpace(row.GetString("Message")));
        Assert.Empty(await h.RowsAsync(h.ModelRows, id));
        Assert.Equal(0, await h.ArtifactCountAsync(id));
    }

    [Fact]
    public async Task Over_the_size_cap_fails_without_downloading()
    {
        await using var h = await PipelineHarness.StartAsync(configure: x => x.Media.MaxBytes = 1000);
        var path = await TestVideos.ColourAsync(h.Scratch, "red", 320, 240, 25, 2);
        var (_, outcome, _) = await h.RunAsync(path, TimeSpan.FromSeconds(60));
        Assert.Equal(ReasonCodes.TooLarge, outcome.Failure!.ReasonCode);
        Assert.False(Directory.Exists(Path.Combine(h.Options.WorkFolder, "videos")) &&
            Directory.EnumerateFiles(Path.Combine(h.Options.WorkFolder, "videos"), "source", SearchOption.AllDirectories)
                .Any(f => f.Contains(outcome.VideoId, StringComparison.Ordinal)));
    }

    /// <summary>A download is conditional on the ETag; a video read in place is checked against it after each read.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_blob_overwritten_before_processing_is_not_mixed_up_with_its_new_version(bool streamed)
    {
        await using var h = await PipelineHarness.StartAsync(configure: x => x.Options.StreamFromBytes = streamed ? 0 : null);
        var red = await TestVideos.ColourAsync(h.Scratch, "red", 160, 120, 25, 2);
        var blue = await TestVideos.ColourAsync(h.Scratch, "blue", 160, 120, 25, 2);
        var (name, oldEtag) = await h.UploadAsync(red, "clip.mp4");
        var (_, newEtag) = await h.UploadAsync(blue, "clip.mp4");

        var oldId = await h.StartAsync(name, oldEtag);
        var newId = await h.StartAsync(name, newEtag);
        Assert.NotEqual(oldId, newId);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var old = (await h.Client.WaitForInstanceCompletionAsync(oldId, true, cts.Token)).ReadOutputAs<VideoOutcome>()!;
        var current = (await h.Client.WaitForInstanceCompletionAsync(newId, true, cts.Token)).ReadOutputAs<VideoOutcome>()!;
        Assert.Equal(ReasonCodes.NotFound, old.Failure!.ReasonCode);
        Assert.Equal("blue", current.TopLabel);
    }

    [Fact]
    public async Task Starting_the_same_upload_again_runs_nothing_new()
    {
        await using var h = await PipelineHarness.StartAsync();
        var path = await TestVideos.ColourAsync(h.Scratch, "green", 160, 120, 25, 2);
        var (name, etag) = await h.UploadAsync(path);
        var id = await h.StartAsync(name, etag);
        Assert.Equal(id, await h.StartAsync(name, etag));
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var first = await h.Client.WaitForInstanceCompletionAsync(id, false, cts.Token);

        Assert.Equal(id, await h.StartAsync(name, etag));
        await Task.Delay(500);
        var after = await h.Client.GetInstanceAsync(id, false);
        Assert.Equal(first.CreatedAt, after!.CreatedAt);
        Assert.Equal(OrchestrationStatusOf(first), OrchestrationStatusOf(after));
        Assert.Single(await h.RowsAsync(h.VideoRows, id));
    }

    private static string OrchestrationStatusOf(Microsoft.DurableTask.Client.OrchestrationMetadata m) => m.RuntimeStatus.ToString();
}
