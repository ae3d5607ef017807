using ServerlessVideo.Testing;

namespace ServerlessVideo.EndToEnd.Tests;

public sealed class DurabilityTests
{
    [Fact]
    public async Task A_host_killed_mid_video_is_finished_by_a_new_host_with_exactly_one_result()
    {
        await using var env = MidVideoEnvironment();
        string id;
        using (var first = new HostProcess(env.Settings))
        {
            id = await UploadAndWaitMidwayAsync(env, first);
            first.Kill();
        }

        await FinishedByANewHostAsync(env, id);
        Assert.Equal(1, await env.RowCountAsync(env.ModelsTable, id));
    }

    [Fact]
    public async Task A_host_stopped_mid_video_ends_within_its_shutdown_bound_and_a_new_host_finishes_the_video()
    {
        // The video's orchestration waits in an extended session while its decode runs: a stop must not wait for the
        // session's idle timeout (30 s), only for the shutdown timeout.
        await using var env = MidVideoEnvironment(s =>
        {
            s["Host__ShutdownTimeout"] = "00:00:03";
            s["Host__ExtendedSessionIdleTimeout"] = "00:00:30";
        });
        string id;
        using (var first = new HostProcess(env.Settings))
        {
            id = await UploadAndWaitMidwayAsync(env, first);
            var took = await first.StopWithAsync("TERM", TimeSpan.FromSeconds(40));
            Assert.True(took is not null, "still running 40 s after SIGTERM:\n" + first.Output);
            Assert.True(took < TimeSpan.FromSeconds(3 + 10), $"took {took}\n{first.Output}");
        }

        await FinishedByANewHostAsync(env, id);
    }

    /// <summary>
    /// Short recovery so a dead worker's leases and in-flight messages come back in seconds; a 720p video's decode and
    /// 16 one-clip inference work items, so a stop lands inside the decode or the fan-out.
    /// </summary>
    private static HostEnvironment MidVideoEnvironment(Action<Dictionary<string, string>>? configure = null) => new(s =>
    {
        s["Host__RecoveryTimeout"] = "00:00:08";
        s["Pipeline__ClipsPerSegment"] = "1";
        configure?.Invoke(s);
    }, numClips: 16);

    /// <summary>Starts <paramref name="host"/>, uploads the green 720p video and returns its id once it is being decoded or inferred.</summary>
    private static async Task<string> UploadAndWaitMidwayAsync(HostEnvironment env, HostProcess host)
    {
        await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        var id = await env.UploadAsync(await TestVideos.ColourAsync(env.Scratch, "green", 1280, 720, 30, 20));
        var midway = await host.WaitForAsync(id, v => v["progress"]?["stage"]?.GetValue<string>() is "extract" or "infer", TimeSpan.FromMinutes(2));
        Assert.Equal("Running", midway["status"]!.GetValue<string>());
        return id;
    }

    /// <summary>A second host finishes the video: Completed, green, every clip, one video row.</summary>
    private static async Task FinishedByANewHostAsync(HostEnvironment env, string id)
    {
        using var second = new HostProcess(env.Settings);
        await second.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        var done = await second.WaitForAsync(id, HostProcess.IsFinal, TimeSpan.FromMinutes(3));
        Assert.True(done["status"]!.GetValue<string>() == "Completed", done.ToJsonString());
        Assert.Equal("green", done["labels"]![0]!["label"]!.GetValue<string>());
        Assert.Equal(16, done["models"]![0]!["clips"]!.GetValue<int>());
        Assert.Equal(1, await env.RowCountAsync(env.VideosTable, id));
    }
}
