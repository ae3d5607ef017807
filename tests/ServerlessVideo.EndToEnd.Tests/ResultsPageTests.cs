using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Onnx;
using ServerlessVideo.Testing;
using Xunit.Abstractions;

namespace ServerlessVideo.EndToEnd.Tests;

/// <summary>The results pages as a user sees them: Debian's Chromium, headless, against a running host.</summary>
public sealed class ResultsPageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task The_list_and_video_pages_render_each_videos_labels_bars_and_timeline_in_chromium()
    {
        await using var env = new HostEnvironment(settings => settings["Pipeline__ShotThreshold"] = "0.3");
        // A second model, of another label space and less weight, that reads optical flow: the page shows its flow picture.
        var flowModel = Path.Combine(env.ModelsPath, StreamMeansModel.Id);
        StreamMeansModel.WriteTo(flowModel);
        File.WriteAllText(Path.Combine(flowModel, ManifestLoader.ManifestFileName), ManifestWriter.ToJson(StreamMeansModel.Manifest() with { ConsensusWeight = 0.5 }));
        using var host = new HostProcess(env.Settings);
        await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        var red = await env.UploadAsync(await TestVideos.ScenesAsync(env.Scratch, ("red", 3), ("blue", 1.5)));
        var green = await env.UploadAsync(await TestVideos.ColourAsync(env.Scratch, "green", 160, 120, 25, 2));
        await host.WaitForAsync(red, HostProcess.IsFinal, Timeout);
        await host.WaitForAsync(green, HostProcess.IsFinal, Timeout);

        var list = await Chromium.DomAsync($"{host.BaseUrl}/");

        Assert.Contains($"data-id=\"{red}\" data-status=\"Completed\"", list, StringComparison.Ordinal);
        Assert.Contains($"data-id=\"{green}\" data-status=\"Completed\"", list, StringComparison.Ordinal);
        Assert.Contains("<td class=\"label\">green</td>", list, StringComparison.Ordinal);

        var page = await Chromium.DomAsync($"{host.BaseUrl}/videos/{red}");

        Assert.Contains("<div class=\"space\" data-space=", page, StringComparison.Ordinal);
        Assert.Contains("data-model=\"colour-mean\"", page, StringComparison.Ordinal);
        // Red for 3 s, then blue: the consensus track starts red and ends blue.
        Assert.Contains("class=\"segment\" data-label=\"red\" data-start=\"0\"", page, StringComparison.Ordinal);
        Assert.Contains("class=\"segment\" data-label=\"blue\"", page, StringComparison.Ordinal);
        // Shots detected at the cut, the strip of frames, the flow picture of the model that reads flow.
        Assert.Contains(">shots</text>", page, StringComparison.Ordinal);
        Assert.InRange(System.Text.RegularExpressions.Regex.Count(page, "<figure class=\"frame\" data-time="), 6, 10);
        Assert.Contains($"<figure class=\"flow\" data-flow=\"{StreamMeansModel.Flow.Key}\"><img src=\"/api/videos/{red}/pictures/flow-0.png\"", page, StringComparison.Ordinal);
        using (var strip = await host.Http.GetAsync(new Uri($"/api/videos/{red}/pictures/keyframes.jpg", UriKind.Relative)))
        {
            Assert.Equal("image/jpeg", strip.Content.Headers.ContentType?.MediaType);
        }

        Assert.DoesNotContain("class=\"error\">", page.Replace("class=\"error\" hidden", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);

        var screenshot = Path.Combine(env.Scratch, "video-page.png");
        await Chromium.ScreenshotAsync($"{host.BaseUrl}/videos/{red}", screenshot);
        var (deviation, colours) = Chromium.Spread(screenshot);
        output.WriteLine($"screenshot: grey-level deviation {deviation:0.0}, {colours} distinct colours");
        Assert.True(deviation > 10 && colours > 50, $"the page looks blank: deviation {deviation:0.0}, {colours} colours");
    }

    [Fact]
    public async Task The_pages_load_nothing_from_elsewhere_and_refuse_unknown_files()
    {
        await using var env = new HostEnvironment();
        using var host = new HostProcess(env.Settings);
        await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));

        foreach (var path in new[] { "/", "/videos/v0", "/portal/portal.js", "/portal/portal.css" })
        {
            using var response = await host.Http.GetAsync(new Uri(path, UriKind.Relative));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, path);
            Assert.Equal("default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
            // The SVG namespace is a name, not an address anything is loaded from.
            var addresses = body.Replace("http://www.w3.org/2000/svg", string.Empty, StringComparison.Ordinal);
            Assert.DoesNotContain("http://", addresses, StringComparison.Ordinal);
            Assert.DoesNotContain("https://", addresses, StringComparison.Ordinal);
            Assert.DoesNotContain("//fonts.", addresses, StringComparison.Ordinal);
        }

        using var missing = await host.Http.GetAsync(new Uri("/portal/..%2Fsv-host.dll", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
    }
}
