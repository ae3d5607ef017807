using ServerlessVideo.Core;
using ServerlessVideo.Testing;

namespace ServerlessVideo.EndToEnd.Tests;

/// <summary>Azurite + the local host process + real encoded videos, asserted through the HTTP API only.</summary>
public sealed class HttpApiTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Uploaded_videos_come_back_labelled_and_bad_ones_failed_with_a_reason()
    {
        await using var env = new HostEnvironment();
        using var host = new HostProcess(env.Settings);
        await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));

        var red = await env.UploadAsync(await TestVideos.ColourAsync(env.Scratch, "red", 1280, 720, 30, 5));
        var blue = await env.UploadAsync(await TestVideos.ColourAsync(env.Scratch, "blue", 480, 640, 24, 4, "webm"));
        var junk = await env.UploadAsync(TestVideos.RandomBytes(env.Scratch));

        var redVideo = await host.WaitForAsync(red, HostProcess.IsFinal, Timeout);
        var blueVideo = await host.WaitForAsync(blue, HostProcess.IsFinal, Timeout);
        var junkVideo = await host.WaitForAsync(junk, HostProcess.IsFinal, Timeout);

        Assert.Equal("Completed", redVideo["status"]!.GetValue<string>());
        Assert.Equal("red", redVideo["labels"]![0]!["label"]!.GetValue<string>());
        Assert.Equal("red", redVideo["models"]![0]!["labels"]![0]!["label"]!.GetValue<string>());
        Assert.Equal(1280, redVideo["media"]!["width"]!.GetValue<int>());
        Assert.Equal("h264", redVideo["media"]!["codec"]!.GetValue<string>());
        Assert.Equal("CPUExecutionProvider", redVideo["provider"]!.GetValue<string>());
        Assert.Equal($"/api/videos/{red}", redVideo["url"]!.GetValue<string>());

        Assert.Equal("blue", blueVideo["labels"]![0]!["label"]!.GetValue<string>());
        Assert.Equal("vp9", blueVideo["media"]!["codec"]!.GetValue<string>());

        Assert.Equal("Failed", junkVideo["status"]!.GetValue<string>());
        Assert.Equal(ReasonCodes.Unreadable, junkVideo["reasonCode"]!.GetValue<string>());

        Assert.Equal(1, await env.RowCountAsync(env.VideosTable, red));
        Assert.Equal(1, await env.RowCountAsync(env.ModelsTable, red));
    }

    [Fact]
    public async Task Listing_pages_with_a_cursor_and_bad_requests_get_clear_errors()
    {
        await using var env = new HostEnvironment();
        using var host = new HostProcess(env.Settings);
        await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        var ids = new List<string>();
        foreach (var colour in new[] { "red", "green", "blue" })
        {
            ids.Add(await env.UploadAsync(await TestVideos.ColourAsync(env.Scratch, colour, 160, 120, 25, 1)));
        }

        foreach (var id in ids)
        {
            await host.WaitForAsync(id, HostProcess.IsFinal, Timeout);
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var (status, page) = await host.GetAsync($"/api/videos?limit=2{(cursor is null ? string.Empty : "&cursor=" + cursor)}");
            Assert.Equal(200, status);
            var items = page!["items"]!.AsArray();
            Assert.InRange(items.Count, 0, 2);
            seen.AddRange(items.Select(i => i!["id"]!.GetValue<string>()));
            cursor = page["next"]?.GetValue<string>();
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(ids.Order(), seen.Order());
        Assert.True(pages >= 2, "three videos at two per page take at least two pages");

        Assert.Equal(400, (await host.GetAsync("/api/videos/not-an-id")).Status);
        Assert.Equal(404, (await host.GetAsync($"/api/videos/{VideoIds.FromBlob("videos", "never", "x")}")).Status);
        Assert.Equal(400, (await host.GetAsync("/api/videos?limit=0")).Status);
        Assert.Equal(400, (await host.GetAsync("/api/videos?cursor=%25%25")).Status);
        // Well-formed base64 that this API never returned: junk, and a token naming no video row.
        Assert.Equal(400, (await host.GetAsync("/api/videos?cursor=abc")).Status);
        Assert.Equal(400, (await host.GetAsync("/api/videos?cursor=" + Convert.ToBase64String("1!x 1!y"u8.ToArray()).TrimEnd('='))).Status);

        // The CLI pages the same way: it prints the command for the next page, and a junk cursor is an error.
        var api = new[] { "--api", host.BaseUrl };
        var (code, first, error) = await CliProcess.RunAsync(null, Timeout, ["list", "--limit", "2", .. api]);
        Assert.True(code == 0, first + error);
        var next = first.Split('\n').Single(l => l.StartsWith("next page:", StringComparison.Ordinal)).Split(' ')[^1].Trim();
        (code, var second, error) = await CliProcess.RunAsync(null, Timeout, ["list", "--limit", "2", "--cursor", next, .. api]);
        Assert.True(code == 0, second + error);
        Assert.Equal(ids.Order(), ids.Where(id => first.Contains(id, StringComparison.Ordinal) || second.Contains(id, StringComparison.Ordinal)).Order());
        (code, _, error) = await CliProcess.RunAsync(null, Timeout, ["list", "--cursor", "abc", .. api]);
        Assert.Equal(1, code);
        Assert.Contains("invalid_cursor", error, StringComparison.Ordinal);

        // Filters: a table with the top label and confidence of each Completed video; a status that does not exist is an error.
        (code, var completed, error) = await CliProcess.RunAsync(null, Timeout, ["list", "--status", "completed", .. api]);
        Assert.True(code == 0, completed + error);
        Assert.Contains("top label", completed.Split('\n')[0], StringComparison.Ordinal);
        Assert.All(ids, id => Assert.Contains(completed.Split('\n'), l => l.StartsWith(id, StringComparison.Ordinal) && l.Contains("Completed", StringComparison.Ordinal)));
        (code, var none, error) = await CliProcess.RunAsync(null, Timeout, ["list", "--status", "Failed", "--json", .. api]);
        Assert.True(code == 0, none + error);
        Assert.Empty(System.Text.Json.Nodes.JsonNode.Parse(none)!["items"]!.AsArray());
        (code, _, error) = await CliProcess.RunAsync(null, Timeout, ["list", "--status", "Done", .. api]);
        Assert.Equal(1, code);
        Assert.Contains("invalid_status", error, StringComparison.Ordinal);
    }
}
