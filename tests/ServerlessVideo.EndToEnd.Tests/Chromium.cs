using ServerlessVideo.Testing;

namespace ServerlessVideo.EndToEnd.Tests;

/// <summary>Debian's <c>chromium</c>, headless (<c>./sv</c> set-up installs it): a page's DOM after its scripts ran, and screenshots.</summary>
public static class Chromium
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private static string Binary =>
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
        ?? throw new FileNotFoundException("chromium is not installed: ./sv test installs it (apt-get install chromium).");

    /// <summary>
    /// The DOM once the page's scripts have run: virtual time lets its fetches and timers finish (up to 10 s of them)
    /// without waiting for them in real time.
    /// </summary>
    public static async Task<string> DomAsync(string url) => await RunAsync(url, "--dump-dom");

    public static async Task ScreenshotAsync(string url, string path)
    {
        await RunAsync(url, $"--screenshot={path}", "--window-size=1200,1400", "--hide-scrollbars");
        Assert.True(File.Exists(path), $"chromium wrote no screenshot of {url}");
    }

    /// <summary>How far a PNG is from blank: the standard deviation of its grey levels and how many colours it has.</summary>
    public static (double Deviation, int Colours) Spread(string png)
    {
        using var image = OpenCvSharp.Cv2.ImRead(png, OpenCvSharp.ImreadModes.Color);
        using var grey = image.CvtColor(OpenCvSharp.ColorConversionCodes.BGR2GRAY);
        OpenCvSharp.Cv2.MeanStdDev(grey, out _, out var deviation);
        var colours = new HashSet<int>();
        int rows = image.Rows, cols = image.Cols;
        for (var y = 0; y < rows; y += 4)
        {
            for (var x = 0; x < cols; x += 4)
            {
                var p = image.At<OpenCvSharp.Vec3b>(y, x);
                colours.Add((p.Item0 << 16) | (p.Item1 << 8) | p.Item2);
            }
        }

        return (deviation.Val0, colours.Count);
    }

    private static async Task<string> RunAsync(string url, params string[] what)
    {
        // As root (CI) Chromium needs --no-sandbox; the profile goes to a throw-away folder.
        using var profile = new TempFolder();
        var (code, output, error) = await ProcessRunner.RunSeparatelyAsync(Binary,
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions", "--disable-dev-shm-usage",
            $"--user-data-dir={profile.Path}", "--virtual-time-budget=10000", .. what, url,
        ], Timeout);
        Assert.True(code == 0, $"chromium exited {code} on {url}: {error}");
        return output;
    }
}
