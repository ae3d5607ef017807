using ServerlessVideo.Testing;

namespace ServerlessVideo.EndToEnd.Tests;

/// <summary>A completed video's durable history goes after the retention; its result stays served.</summary>
public sealed class HistoryPurgeTests
{
    [Fact]
    public async Task A_completed_videos_history_is_purged_after_the_retention_and_its_result_is_still_served()
    {
        await using var env = new HostEnvironment(s =>
        {
            s["Host__HistoryRetention"] = "00:00:01";
            s["Host__HistoryPurgeInterval"] = "00:00:01";
        });
        using var host = new HostProcess(env.Settings);
        await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        var id = await env.UploadAsync(await TestVideos.ColourAsync(env.Scratch, "blue", 160, 120, 25, 2));
        var done = await host.WaitForAsync(id, HostProcess.IsFinal, TimeSpan.FromMinutes(2));
        Assert.True(done["status"]!.GetValue<string>() == "Completed", done.ToJsonString());

        var instances = env.Settings["Host__TaskHub"] + "Instances";
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await env.RowCountAsync(instances, id) > 0)
        {
            await Task.Delay(250, cts.Token);
        }

        var (status, again) = await host.GetAsync($"/api/videos/{id}");
        Assert.Equal(200, status);
        Assert.Equal("Completed", again!["status"]!.GetValue<string>());
        Assert.Equal("blue", again["labels"]![0]!["label"]!.GetValue<string>());
    }
}
