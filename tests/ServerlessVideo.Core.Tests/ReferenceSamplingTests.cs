using System.Text.Json;
using ServerlessVideo.Core.Planning;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Core.Tests;

/// <summary>
/// Frame indices against the references' own code (Data/sampling.json, written by make_sampling.py beside it):
/// mmaction2's SampleFrames(test_mode=True) and torchvision 0.14's VideoClips + UniformClipSampler, over clip lengths,
/// intervals, clip counts, frame rates and video lengths from one frame to a minute.
/// </summary>
public sealed class ReferenceSamplingTests
{
    private static readonly Lazy<JsonElement> Golden = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "ServerlessVideo.Core.Tests", "Data", "sampling.json"))).RootElement.Clone());

    [Fact]
    public void Mmaction2_sample_frames_in_test_mode_index_for_index()
    {
        var cases = Golden.Value.GetProperty("mmaction2").EnumerateArray().ToList();
        Assert.True(cases.Count >= 70);
        var wrong = cases.Where(c =>
        {
            var actual = ReferenceSampling.Mmaction2(c.GetProperty("totalFrames").GetInt64(), c.GetProperty("clipLength").GetInt32(),
                c.GetProperty("frameInterval").GetInt32(), c.GetProperty("numClips").GetInt32());
            return !Same(Indices(c), actual);
        }).Select(c => c.ToString()).ToList();
        Assert.Empty(wrong);
    }

    [Fact]
    public void Torchvision_video_clips_and_uniform_clip_sampler_index_for_index()
    {
        var cases = Golden.Value.GetProperty("torchvision").EnumerateArray().ToList();
        Assert.True(cases.Count >= 200);
        Assert.Contains(cases, c => Indices(c).Length == 0);
        var wrong = cases.Where(c =>
        {
            var actual = ReferenceSampling.Torchvision(c.GetProperty("totalFrames").GetInt64(), c.GetProperty("fps").GetDouble(),
                c.GetProperty("frameRate").GetDouble(), c.GetProperty("clipLength").GetInt32(), c.GetProperty("numClips").GetInt32());
            return !Same(Indices(c), actual);
        }).Select(c => c.ToString()).ToList();
        Assert.Empty(wrong);
    }

    [Fact]
    public void Tsn_segments_are_one_clip_of_mmaction2s_segment_frames()
    {
        var manifest = Onnx.ColourMeanModel.Manifest() with { Sampling = new Manifests.SamplingSpec(25, null, null, 1, Manifests.SamplingSpec.Mmaction2Segments) };
        var probe = new VideoProbe(10, 30, 640, 360, 0, "h264", "mp4", 1000);
        var view = Assert.Single(VideoPlanner.Plan(probe, [manifest], new PlanOptions { ClipsPerSegment = 4 }).Views);
        var clip = Assert.Single(view.Segments.SelectMany(s => s.Clips));
        var expected = ReferenceSampling.Mmaction2(300, 1, 1, 25).Select(s => s[0]).ToArray();
        Assert.Equal([6, 18, 30], expected.Take(3));
        Assert.Equal(expected, clip.Times!.Select(t => (int)Math.Floor(t * 30)));
    }

    [Theory]
    [InlineData("""{ "strategy": "mmaction2-segments", "clipLength": 25, "numClips": 1 }""", null)]
    [InlineData("""{ "strategy": "mmaction2-segments", "clipLength": 25, "numClips": 3 }""", "'mmaction2-segments' sampling takes clipLength segments as one clip")]
    [InlineData("""{ "strategy": "mmaction2", "clipLength": 8, "frameInterval": 2, "numClips": 3 }""", null)]
    [InlineData("""{ "strategy": "torchvision", "clipLength": 16, "frameRate": 15, "numClips": 5 }""", null)]
    [InlineData("""{ "strategy": "mmaction2", "clipLength": 8, "fps": 4, "numClips": 3 }""", "'mmaction2' sampling takes frameInterval")]
    [InlineData("""{ "strategy": "torchvision", "clipLength": 16, "frameInterval": 2, "numClips": 5 }""", "'torchvision' sampling takes frameRate")]
    [InlineData("""{ "clipLength": 16, "fps": 4, "frameRate": 15, "numClips": 5 }""", "frameRate is for 'torchvision' sampling only")]
    public void A_manifest_names_its_reference_sampling_with_that_librarys_parameters(string sampling, string? error)
    {
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(Onnx.ManifestWriter.ToJson(Onnx.ColourMeanModel.Manifest()))!.AsObject();
        manifest["sampling"] = System.Text.Json.Nodes.JsonNode.Parse(sampling);
        if (error is null)
        {
            var parsed = Manifests.ManifestLoader.Parse(manifest.ToJsonString(), "m.json");
            Assert.True(parsed.Sampling.ByIndex);
            var view = VideoPlanner.ViewOf(parsed, new VideoProbe(10, 25, 640, 360, 0, "h264", "mp4", 1000));
            Assert.EndsWith($"-{parsed.Sampling.Strategy}", view.Key, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(error, Assert.Throws<Manifests.ManifestException>(() => Manifests.ManifestLoader.Parse(manifest.ToJsonString(), "m.json")).Message);
        }
    }

    private static int[][] Indices(JsonElement c) =>
        [.. c.GetProperty("indices").EnumerateArray().Select(clip => clip.EnumerateArray().Select(i => i.GetInt32()).ToArray())];

    private static bool Same(int[][] expected, int[][] actual) =>
        expected.Length == actual.Length && expected.Zip(actual).All(p => p.First.SequenceEqual(p.Second));
}
