using ServerlessVideo.Media.Flow;

namespace ServerlessVideo.Media.Tests.Flow;

/// <summary>The sorting-network median (SIMD and scalar forms) against a plain sort, borders replicated as cv::medianBlur.</summary>
public sealed class MedianFilterTests
{
    private static float NaiveMedian(float[] image, int w, int h, int k, int x, int y)
    {
        var r = k / 2;
        var window = new List<float>();
        for (var dy = -r; dy <= r; dy++)
        {
            for (var dx = -r; dx <= r; dx++)
            {
                window.Add(image[(Math.Clamp(y + dy, 0, h - 1) * w) + Math.Clamp(x + dx, 0, w - 1)]);
            }
        }

        window.Sort();
        return window[window.Count / 2];
    }

    [Theory]
    [InlineData(3, 5, 4)]
    [InlineData(3, 37, 19)]
    [InlineData(5, 5, 4)]
    [InlineData(5, 13, 7)]
    [InlineData(5, 37, 19)]
    public void Gives_the_exact_median_of_each_window(int k, int w, int h)
    {
        var random = new Random((k * 1000) + w);

        // Few distinct values, so ties are common, plus a couple of infinities.
        var image = Enumerable.Range(0, w * h).Select(_ => (float)random.Next(-4, 5) * 0.5f).ToArray();
        image[0] = float.PositiveInfinity;
        image[^1] = float.NegativeInfinity;
        var filtered = image.ToArray();
        MedianFilter.Apply(filtered, w, h, k, new float[(w + k - 1) * (h + k - 1)]);
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                Assert.Equal(NaiveMedian(image, w, h, k, x, y), filtered[(y * w) + x]);
            }
        }
    }

    [Fact]
    public void The_pruned_networks_select_the_median_of_random_inputs()
    {
        var random = new Random(5);
        foreach (var n in new[] { 9, 25 })
        {
            var network = MedianFilter.BuildMedianNetwork(n);
            for (var trial = 0; trial < 20000; trial++)
            {
                var values = Enumerable.Range(0, n).Select(_ => (float)random.Next(0, trial % 2 == 0 ? 4 : 1000)).ToArray();
                var sorted = values.Order().ToArray();
                foreach (var (a, b) in network)
                {
                    (values[a], values[b]) = (MathF.Min(values[a], values[b]), MathF.Max(values[a], values[b]));
                }

                Assert.Equal(sorted[n / 2], values[n / 2]);
            }
        }
    }
}
