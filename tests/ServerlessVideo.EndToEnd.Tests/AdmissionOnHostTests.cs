using System.Text.Json.Nodes;
using ServerlessVideo.Testing;

namespace ServerlessVideo.EndToEnd.Tests;

/// <summary>
/// Admission on the local host's Azure Storage backend, where orchestrations stay loaded between episodes (extended
/// sessions): a waiting video's place shows through the API, and a finishing video's wake-up reaches the next one.
/// </summary>
public sealed class AdmissionOnHostTests
{
    [Theory]
    [InlineData("00:00:30")] // extended sessions (the default)
    [InlineData("00:00:00")] // every episode reloads its history
    public async Task With_one_slot_the_host_runs_videos_one_after_another_and_wakes_each_when_the_one_ahead_ends(string sessionIdle)
    {
        await using var env = new HostEnvironment(s =>
        {
            s["Pipeline__MaxVideosInFlight"] = "1";
            s["Host__ExtendedSessionIdleTimeout"] = sessionIdle;
        });
        using var host = new HostProcess(env.Settings);
        await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));

        // Encoded first, then uploaded together: a short video is done in well under a second, so one uploaded while
        // the next is still being encoded would leave nobody waiting.
        var files = new List<string>();
        foreach (var colour in new[] { "red", "green", "blue" })
        {
            files.Add(await TestVideos.ColourAsync(env.Scratch, colour, 160, 120, 25, 2));
        }

        var ids = new List<string>();
        foreach (var file in files)
        {
            ids.Add(await env.UploadAsync(file));
        }

        // Some video must be seen waiting, with its place in line, before every one is final.
        var sawQueued = false;
        var final = new Dictionary<string, JsonNode>();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (final.Count < ids.Count)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromMinutes(3), $"not every video was final after 3 minutes\n{host.Output}");
            foreach (var id in ids.Where(i => !final.ContainsKey(i)))
            {
                var (status, body) = await host.GetAsync($"/api/videos/{id}");
                if (status != 200 || body is null)
                {
                    continue;
                }

                sawQueued |= body["progress"]?["stage"]?.GetValue<string>() == "queued" && body["progress"]?["queuePosition"]?.GetValue<int>() >= 1;
                if (HostProcess.IsFinal(body))
                {
                    final[id] = body;
                }
            }

            await Task.Delay(100);
        }

        Assert.True(sawQueued, "no video was seen waiting for the one slot");
        var spans = new List<(DateTimeOffset Start, DateTimeOffset End)>();
        foreach (var (colour, id) in new[] { "red", "green", "blue" }.Zip(ids))
        {
            var video = final[id];
            Assert.True(video["status"]!.GetValue<string>() == "Completed", video.ToJsonString());
            Assert.Equal(colour, video["labels"]![0]!["label"]!.GetValue<string>());
            spans.Add((video["startedAt"]!.GetValue<DateTimeOffset>(), video["completedAt"]!.GetValue<DateTimeOffset>()));
        }

        var ordered = spans.OrderBy(s => s.Start).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            Assert.True(ordered[i].Start >= ordered[i - 1].End, $"video {i} started at {ordered[i].Start:O} before the one ahead ended at {ordered[i - 1].End:O}");
            // Woken by the finishing video's event, not by the 10 s re-check.
            Assert.True(ordered[i].Start - ordered[i - 1].End < TimeSpan.FromSeconds(5), $"video {i} waited {ordered[i].Start - ordered[i - 1].End} after a slot freed\n{host.Output}");
        }
    }
}
