using ServerlessVideo.Testing;

namespace ServerlessVideo.EndToEnd.Tests;

/// <summary>What a video's results say, asked of the local host process over HTTP, with a broken model among the good one.</summary>
public sealed class ResultsApiTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_video_of_three_scenes_gets_shots_a_timeline_and_pictures_while_a_broken_model_fails_alone_and_grey_is_unknown()
    {
        await using var env = new HostEnvironment(settings =>
        {
            settings["Pipeline__ShotThreshold"] = "0.3";
            settings["Pipeline__UnknownBelow"] = "0.5";
        });
        FailingModel.WriteTo(Path.Combine(env.ModelsPath, FailingModel.Id));
        using var host = new HostProcess(env.Settings);
        await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        var scenes = await env.UploadAsync(await TestVideos.ScenesAsync(env.Scratch, ("red", 2), ("green", 3.2), ("blue", 2)));
        var grey = await env.UploadAsync(await TestVideos.ColourAsync(env.Scratch, "gray", 160, 120, 25, 2));

        var video = await host.WaitForAsync(scenes, HostProcess.IsFinal, Timeout);
        var greyVideo = await host.WaitForAsync(grey, HostProcess.IsFinal, Timeout);

        // Partial success: the broken model's row says why; the video completes from the other.
        Assert.Equal("Completed", video["status"]!.GetValue<string>());
        Assert.Equal([FailingModel.Id], video["failedModels"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
        var failing = video["models"]!.AsArray().Single(m => m!["id"]!.GetValue<string>() == FailingModel.Id)!;
        Assert.Equal(("Failed", "INFERENCE_FAILED"), (failing["status"]!.GetValue<string>(), failing["reasonCode"]!.GetValue<string>()));

        // Shots at the cuts, within a frame (25 fps), each labelled by its colour.
        var (status, shots) = await host.GetAsync($"/api/videos/{scenes}/shots");
        Assert.Equal(200, status);
        var cuts = shots!["shots"]!.AsArray();
        Assert.Equal(["red", "green", "blue"], cuts.Select(s => s!["labels"]![0]!["label"]!.GetValue<string>()));
        Assert.Equal(2.0, cuts[1]!["start"]!.GetValue<double>(), 0.04);
        Assert.Equal(5.2, cuts[2]!["start"]!.GetValue<double>(), 0.04);

        // The timeline follows the colours, from the good model only, and lists the key frames.
        var (_, timeline) = await host.GetAsync($"/api/videos/{scenes}/timeline");
        Assert.Equal(["red", "green", "blue"], timeline!["segments"]!.AsArray().Select(s => s!["labels"]![0]!["label"]!.GetValue<string>()));
        Assert.Equal(["colour-mean"], timeline["models"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
        using var strip = await host.Http.GetAsync(new Uri(timeline["keyFrames"]!["href"]!.GetValue<string>(), UriKind.Relative));
        Assert.Equal(("image/jpeg", true), (strip.Content.Headers.ContentType?.MediaType, strip.IsSuccessStatusCode));
        Assert.True((await strip.Content.ReadAsByteArrayAsync()).Length > 500);

        // Open set: grey has no dominant colour (a third each), below 0.5.
        Assert.Equal("unknown", greyVideo["label"]!.GetValue<string>());
        var (_, unknowns) = await host.GetAsync("/api/videos?label=unknown");
        Assert.Contains(grey, unknowns!["items"]!.AsArray().Select(v => v!["id"]!.GetValue<string>()));
    }
}
