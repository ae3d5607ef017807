using System.Text.Json.Nodes;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Core.Planning;
using ServerlessVideo.Core.Tensors;
using ServerlessVideo.Onnx;

namespace ServerlessVideo.Core.Tests;

public sealed class MultiInputManifestTests
{
    private static JsonObject Probe() => JsonNode.Parse(ManifestWriter.ToJson(StreamMeansModel.Manifest()))!.AsObject();

    private static string Refusal(JsonObject manifest) =>
        Assert.Throws<ManifestException>(() => ManifestLoader.Parse(manifest.ToJsonString(), "m.json")).Message;

    [Fact]
    public void A_two_input_manifest_with_flow_stride_and_fusion_round_trips()
    {
        var m = ManifestLoader.Parse(ManifestWriter.ToJson(StreamMeansModel.Manifest()), "m.json");
        Assert.Equal(2, m.Inputs.Count);
        Assert.Equal(StreamMeansModel.FrameStride, m.Inputs[0].FrameStride);
        Assert.Equal(ModelInput.Rgb, m.Inputs[0].StreamKey);
        Assert.Equal("flow-farneback-b4", m.Inputs[1].StreamKey);
        Assert.Equal(["rgb_means", "flow_means"], m.Output.Fusion!.Select(f => f.Name));
    }

    [Fact]
    public void A_flow_input_needs_its_algorithm_and_two_channel_statistics()
    {
        var noFlow = Probe();
        noFlow["inputs"]![1]!.AsObject().Remove("flow");
        Assert.Contains("needs 'flow'", Refusal(noFlow));

        var rgbStats = Probe();
        rgbStats["inputs"]![1]!["mean"] = new JsonArray(0.5, 0.5, 0.5);
        rgbStats["inputs"]![1]!["std"] = new JsonArray(0.5, 0.5, 0.5);
        Assert.Contains("needs 2 mean and std values", Refusal(rgbStats));

        var unknown = Probe();
        unknown["inputs"]![1]!["flow"]!["algorithm"] = "lucas-kanade";
        Assert.Contains("/inputs/1/flow/algorithm", Refusal(unknown));

        var segments = Probe();
        segments["sampling"] = new JsonObject { ["clipLength"] = 4, ["numClips"] = 1, ["strategy"] = "segments" };
        Assert.Contains("'segments' sampling takes frames seconds apart", Refusal(segments));

        var flowOnRgb = Probe();
        flowOnRgb["inputs"]![0]!["flow"] = new JsonObject { ["algorithm"] = "tvl1", ["bound"] = 8 };
        Assert.Contains("flow inputs only", Refusal(flowOnRgb));
    }

    [Fact]
    public void Per_frame_layout_stride_beyond_the_clip_and_a_mismatched_alpha_are_refused()
    {
        var perFrame = Probe();
        perFrame["inputs"]![0]!["layout"] = "NCHW";
        Assert.Contains("single-input models only", Refusal(perFrame));

        var stride = Probe();
        stride["inputs"]![0]!["frameStride"] = 5;
        Assert.Contains("exceeds clipLength", Refusal(stride));

        var alpha = Probe();
        alpha["architecture"] = new JsonObject { ["alpha"] = 4 };
        ManifestLoader.Parse(alpha.ToJsonString(), "m.json"); // alpha binds SlowFast models only
        alpha["family"] = "slowfast";
        Assert.Contains("architecture.alpha", Refusal(alpha));
        alpha["architecture"] = new JsonObject { ["alpha"] = StreamMeansModel.FrameStride };
        ManifestLoader.Parse(alpha.ToJsonString(), "m.json");

        var fusion = Probe();
        fusion["output"]!["fusion"]![1]!["name"] = "rgb_means";
        Assert.Contains("fusion names must be distinct", Refusal(fusion));
    }

    [Fact]
    public void The_plan_asks_for_each_flow_once_per_view()
    {
        var probe = new VideoProbe(10, 25, 320, 240, 0, "h264", "mp4", 1000);
        var withFlow = StreamMeansModel.Manifest();
        var twin = withFlow with { Id = "twin" };
        var plan = VideoPlanner.Plan(probe, [withFlow, twin, ColourMeanModel.Manifest()], new PlanOptions());
        var flowView = plan.Views.Single(v => v.ModelIds.Contains(StreamMeansModel.Id));
        Assert.Equal(["stream-means", "twin"], flowView.ModelIds);
        Assert.Equal([StreamMeansModel.Flow], flowView.Flows);
        Assert.Empty(plan.Views.Single(v => v.ModelIds.Contains(ColourMeanModel.Id)).Flows!);
    }

    [Fact]
    public void A_plan_recorded_before_flows_existed_still_reads_as_one_without_flows()
    {
        // Orchestration histories keep activity outputs as JSON; replays of older ones must not break.
        const string old = """{"view":{"fps":4,"resizeShortSide":36,"cropSize":32,"clipLength":8},"segments":[],"modelIds":["colour-mean"]}""";
        var plan = System.Text.Json.JsonSerializer.Deserialize<ViewPlan>(old, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        Assert.Null(plan.Flows);
        Assert.Equal(["colour-mean"], plan.ModelIds);
    }

    [Fact]
    public void Every_kth_frame_keeps_channels_and_a_flow_tensor_round_trips()
    {
        var data = Enumerable.Range(0, 5 * 2 * 2 * 2).Select(i => (byte)i).ToArray();
        var flow = new ClipTensor(5, 2, 2, ClipTensor.FlowChannels, data);
        var back = ClipTensor.FromBytes(flow.ToBytes());
        Assert.Equal((5, 2), (back.Frames, back.Channels));
        Assert.Equal(data, back.Data);

        var every2 = flow.TakeEvery(2);
        Assert.Equal(3, every2.Frames);
        Assert.Equal(data[16..24], every2.Data[8..16]); // frame 2 of the source is frame 1 of the result
        Assert.Same(flow, flow.TakeEvery(1));
    }
}
