using Azure.Data.Tables;
using ServerlessVideo.Testing;

namespace ServerlessVideo.EndToEnd.Tests;

public sealed class ScaleOutTests
{
    [Fact]
    public async Task Two_hosts_on_one_task_hub_start_each_upload_once_and_store_one_result_each()
    {
        await using var env = new HostEnvironment();
        using var a = new HostProcess(env.Settings);
        using var b = new HostProcess(env.Settings);
        await Task.WhenAll(a.WaitUntilReadyAsync(TimeSpan.FromSeconds(60)), b.WaitUntilReadyAsync(TimeSpan.FromSeconds(60)));

        var expected = new Dictionary<string, string>();
        foreach (var colour in new[] { "red", "green", "blue", "red" })
        {
            var path = await TestVideos.ColourAsync(env.Scratch, colour, 320, 240, 25, 2);
            expected[await env.UploadAsync(path, $"{expected.Count}-{colour}.mp4")] = colour;
        }

        foreach (var (id, colour) in expected)
        {
            var video = await (expected.Count % 2 == 0 ? a : b).WaitForAsync(id, HostProcess.IsFinal, TimeSpan.FromMinutes(3));
            Assert.Equal(colour, video["labels"]![0]!["label"]!.GetValue<string>());
            Assert.Equal(1, await env.RowCountAsync(env.VideosTable, id));
            Assert.Equal(1, await env.RowCountAsync(env.ModelsTable, id));
        }

        var claims = new TableClient(Azurite.ConnectionString, env.Settings["Host__ClaimsTable"]);
        var rows = new List<TableEntity>();
        await foreach (var row in claims.QueryAsync<TableEntity>())
        {
            rows.Add(row);
        }

        Assert.Equal(expected.Keys.Order(), rows.Select(r => r.PartitionKey).Order());
        Assert.All(rows, r => Assert.Equal("Started", r.GetString("State")));
    }
}
