using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using ServerlessVideo.Testing;
using Xunit.Abstractions;

namespace ServerlessVideo.EndToEnd.Tests;

public sealed class StorageOutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(10);

    /// <summary>How long all videos together may take to finish once storage is back (they took 12 to 18 s here).</summary>
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(75);

    [Fact]
    public async Task While_storage_is_down_the_api_answers_503_fast_and_afterwards_every_video_completes_once()
    {
        // A private Azurite this test stops and starts again on the same ports and data. Recovery (queue visibility and
        // lease interval) is shorter than the default 2 min so work whose hand-back failed during the outage returns
        // within the test, but longer than the outage, so messages the worker holds keep their pop receipts valid
        // (with 10 s, they became visible again the moment storage came back, and the copies raced each other).
        var clock = Stopwatch.StartNew();
        using var azurite = new RestartableAzurite();
        // Marked Running as its work starts, so the outage can begin while the first video runs.
        await using var env = new HostEnvironment(
            s =>
            {
                s["Host__RecoveryTimeout"] = "00:00:30";
                s["Pipeline__MarkRunningAfter"] = "00:00:00";
            },
            connectionString: azurite.ConnectionString);
        using var host = new HostProcess(env.Settings);
        await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        output.WriteLine($"host ready at {clock.Elapsed.TotalSeconds:0.0} s");

        var expected = new Dictionary<string, string>();
        foreach (var colour in new[] { "red", "green", "blue", "red", "green", "blue" })
        {
            var path = await TestVideos.ColourAsync(env.Scratch, colour, 160, 120, 25, 4);
            expected[await env.UploadAsync(path, $"{expected.Count}-{colour}.mp4")] = colour;
        }

        // Mid-batch: the first video is running (or already done) while the others wait.
        await host.WaitForAsync(expected.Keys.First(), v => v["status"]?.GetValue<string>() is "Running" or "Completed" or "Failed", TimeSpan.FromSeconds(60));
        var answers = new List<(string Path, int Status, double Ms, string? Error, string? RetryAfter)>();
        output.WriteLine($"first video running at {clock.Elapsed.TotalSeconds:0.0} s; stopping Azurite");
        await azurite.StopAsync();
        try
        {
            var down = Stopwatch.StartNew();
            while (down.Elapsed < Outage)
            {
                foreach (var path in new[] { "/api/videos", $"/api/videos/{expected.Keys.Last()}", "/api/health" })
                {
                    answers.Add(await TimedGetAsync(host, path));
                }

                await Task.Delay(500);
            }
        }
        finally
        {
            azurite.Start();
            output.WriteLine($"Azurite back at {clock.Elapsed.TotalSeconds:0.0} s");
        }

        foreach (var a in answers)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{a.Path,-40} {a.Status} {a.Ms,7:0} ms {a.Error} retry-after={a.RetryAfter}"));
        }

        var list = answers.Where(a => a.Path == "/api/videos").ToList();
        Assert.True(list.Count >= 3, $"only {list.Count} GET /api/videos answers during the outage");
        Assert.All(answers, a => Assert.True(a.Status == 503 && a.Ms < 2000, $"{a.Path}: {a.Status} after {a.Ms:0} ms"));
        Assert.All(answers.Where(a => a.Path != "/api/health"), a => Assert.Equal("storage_unavailable", a.Error));
        Assert.All(answers.Where(a => a.Path == "/api/health"), a => Assert.Equal("unavailable", a.Error));
        Assert.All(answers, a => Assert.False(string.IsNullOrEmpty(a.RetryAfter), $"{a.Path}: no Retry-After"));

        // The worker recovers by itself: every video completes, with one video row and one model row.
        var recovery = Stopwatch.StartNew();
        foreach (var (id, colour) in expected)
        {
            JsonNode video;
            try
            {
                video = await host.WaitForAsync(id, HostProcess.IsFinal, TimeSpan.FromTicks(Math.Max((Recovery - recovery.Elapsed).Ticks, TimeSpan.TicksPerSecond)));
            }
            catch (TimeoutException)
            {
                // The host's output is in the exception; Azurite's shows how its stop and start went.
                output.WriteLine("Azurite:\n" + azurite.Output);
                throw;
            }

            Assert.True(video["status"]!.GetValue<string>() == "Completed", video.ToJsonString());
            Assert.Equal(colour, video["labels"]![0]!["label"]!.GetValue<string>());
            Assert.Equal(1, await env.RowCountAsync(env.VideosTable, id));
            Assert.Equal(1, await env.RowCountAsync(env.ModelsTable, id));
            output.WriteLine($"{id} completed by {clock.Elapsed.TotalSeconds:0.0} s");
        }

        var (status, page) = await host.GetAsync("/api/videos");
        Assert.Equal(200, status);
        Assert.Equal(expected.Keys.Order(), page!["items"]!.AsArray().Select(v => v!["id"]!.GetValue<string>()).Order());
    }

    /// <summary>One GET with its own 10 s limit, so a hanging host shows up as a slow answer rather than a stuck test.</summary>
    private static async Task<(string Path, int Status, double Ms, string? Error, string? RetryAfter)> TimedGetAsync(HostProcess host, string path)
    {
        var watch = Stopwatch.StartNew();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            using var response = await host.Http.GetAsync(new Uri(path, UriKind.Relative), limit.Token);
            var body = await response.Content.ReadAsStringAsync(limit.Token);
            var ms = watch.Elapsed.TotalMilliseconds;
            string? error = null;
            try
            {
                // The error code of a route, or the status of /api/health.
                var json = JsonNode.Parse(body);
                error = (json?["error"] ?? json?["status"])?.GetValue<string>();
            }
            catch (System.Text.Json.JsonException)
            {
                error = body.Length > 80 ? body[..80] : body;
            }

            return (path, (int)response.StatusCode, ms, error, response.Headers.RetryAfter?.ToString());
        }
        catch (OperationCanceledException)
        {
            return (path, 0, watch.Elapsed.TotalMilliseconds, "no answer in 10 s", null);
        }
    }

    /// <summary>
    /// A stop signal, and storage gone while the host stops: parts of the durable backend wait on storage while they
    /// stop, which once kept the process alive for minutes. It ends within the shutdown timeout plus the margin.
    /// </summary>
    [Fact]
    public async Task A_stop_signal_while_storage_is_down_ends_the_host_within_its_bound()
    {
        using var azurite = new RestartableAzurite();
        await using var env = new HostEnvironment(s => s["Host__ShutdownTimeout"] = "00:00:03", connectionString: azurite.ConnectionString);
        using var host = new HostProcess(env.Settings);
        await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        try
        {
            // SIGTERM, as ./sv serve and service managers send it, and storage goes away while the host stops.
            var stopping = host.StopWithAsync("TERM", TimeSpan.FromSeconds(40));
            await azurite.StopAsync();
            var took = await stopping;

            output.WriteLine($"stopped after {took?.TotalSeconds:0.0} s, exit code {(took is null ? "-" : host.ExitCode)}");
            Assert.True(took is not null, "still running 40 s after SIGTERM:\n" + host.Output);
            Assert.True(took < TimeSpan.FromSeconds(3 + 10 + 5), $"took {took}");
        }
        finally
        {
            // The environment's clean-up needs storage.
            azurite.Start();
        }
    }
}
