using System.Diagnostics;
using ServerlessVideo.Media.Flow;
using Xunit.Abstractions;

namespace ServerlessVideo.Media.Tests.Flow;

/// <summary>Prints milliseconds per frame pair; no timing assertions (the machine may be busy).</summary>
public sealed class FlowBenchmarkTests(ITestOutputHelper output)
{
    [Fact]
    public void Prints_milliseconds_per_frame_pair_at_64_and_224()
    {
        foreach (var (size, repeats) in new[] { (64, 10), (224, 3) })
        {
            var a = FlowTestImages.Render(size, (x, y) => (x, y));
            var b = FlowTestImages.Render(size, (x, y) => (x - 1.3, y - 0.7));
            var flow = new float[2 * size * size];
            foreach (var algorithm in new[] { FlowAlgorithm.Farneback, FlowAlgorithm.TvL1 })
            {
                void Run()
                {
                    if (algorithm == FlowAlgorithm.Farneback)
                    {
                        FarnebackFlow.Compute(a, b, size, size, flow);
                    }
                    else
                    {
                        TvL1Flow.Default.Compute(a, b, size, size, flow);
                    }
                }

                Run();
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < repeats; i++)
                {
                    Run();
                }

                output.WriteLine($"{algorithm} {size}×{size}: {watch.Elapsed.TotalMilliseconds / repeats:F1} ms per pair");
                Assert.All(flow, v => Assert.True(float.IsFinite(v)));
            }
        }
    }
}
