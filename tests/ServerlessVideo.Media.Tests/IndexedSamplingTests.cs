using Microsoft.Extensions.Logging.Abstractions;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Core.Planning;
using ServerlessVideo.Onnx;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Media.Tests;

/// <summary>
/// A plan with a reference library's index sampling decodes exactly the frames that library picks: a video whose
/// frame n is drawn as grey level n (25 fps, 70 frames), planned with mmaction2's and torchvision's test-time sampling.
/// </summary>
public sealed class IndexedSamplingTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> Strategies => [SamplingSpec.Mmaction2, SamplingSpec.Torchvision];

    [Theory]
    [MemberData(nameof(Strategies))]
    public async Task The_decoded_frames_are_the_ones_the_reference_picks(string strategy)
    {
        var path = await TestVideos.CountingAsync(_temp.Path, 25, 2.8);
        var probe = await new VideoProber(new MediaOptions(), NullLogger<VideoProber>.Instance).ProbeAsync(path, CancellationToken.None);
        Assert.Equal(70, probe.EstimatedFrames);
        var sampling = strategy == SamplingSpec.Mmaction2
            ? new SamplingSpec(8, null, 2, 3, SamplingSpec.Mmaction2)
            : new SamplingSpec(8, null, null, 3, SamplingSpec.Torchvision) { FrameRate = 15 };
        var manifest = ColourMeanModel.Manifest() with { Sampling = sampling };

        var plan = VideoPlanner.Plan(probe, [manifest], new PlanOptions { ClipsPerSegment = 4 });
        var view = Assert.Single(plan.Views);
        var spans = view.Segments.SelectMany(s => s.Clips).ToList();
        var clips = await TestFrameSource.Create().ExtractAsync(path, probe, [.. spans.Select(c => new ClipRequest(view.View, c))], CancellationToken.None);

        var expected = strategy == SamplingSpec.Mmaction2
            ? ReferenceSampling.Mmaction2(70, 8, 2, 3)
            : ReferenceSampling.Torchvision(70, 25, 15, 8, 3);
        // mmaction2: clips at 0, 27, 55, every 2nd frame; torchvision: 15 fps windows 0, 17, 34 of its 42 frames.
        Assert.Equal(strategy == SamplingSpec.Mmaction2 ? [0, 2, 4, 6, 8, 10, 12, 14] : [0, 1, 3, 5, 6, 8, 10, 11], expected[0]);
        Assert.Equal(expected.Length, clips.Count);
        for (var c = 0; c < clips.Count; c++)
        {
            var frames = Enumerable.Range(0, clips[c].Frames).Select(t => TestVideos.CountOf(clips[c].Data.AsSpan(t * clips[c].FrameBytes, clips[c].FrameBytes))).ToArray();
            Assert.Equal(expected[c], frames);
        }
    }
}
