using ServerlessVideo.Testing;

namespace ServerlessVideo.EndToEnd.Tests;

public sealed class DurabilityTests
{
    [Fact]
    public async Task A_host_killed_mid_video_is_finished_by_a_new_host_with_exactly_one_result()
    {
        // Short recovery so a dead worker's leases and in-flight messages come back in seconds; a 720p video's decode
        // and 16 one-clip inference work items, so the kill lands inside the decode or the fan-out.
        await using var env = new HostEnvironment(s =>
        {
            s["Host__RecoveryTimeout"] = "00:00:08";
            s["Pipeline__ClipsPerSegment"] = "1";
        }, numClips: 16);

        string id;
        using (var first = new HostProcess(env.Settings))
        {
            await first.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
            id = await env.UploadAsync(await TestVideos.ColourAsync(env.Scratch, "green", 1280, 720, 30, 20));
            var midway = await first.WaitForAsync(id, v =>
                v["progress"]?["stage"]?.GetValue<string>() is "extract" or "infer",
                TimeSpan.FromMinutes(2));
            Assert.Equal("Running", midway["status"]!.GetValue<string>());
            first.Kill();
        }

        using var second = new HostProcess(env.Settings);
        await second.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        var done = await second.WaitForAsync(id, HostProcess.IsFinal, TimeSpan.FromMinutes(3));

        Assert.True(done["status"]!.GetValue<string>() == "Completed", done.ToJsonString());
        Assert.Equal("green", done["labels"]![0]!["label"]!.GetValue<string>());
        Assert.Equal(16, done["models"]![0]!["clips"]!.GetValue<int>());
        Assert.Equal(1, await env.RowCountAsync(env.VideosTable, id));
        Assert.Equal(1, await env.RowCountAsync(env.ModelsTable, id));
    }
}
