using System.Text.Json.Nodes;
using Azure.Data.Tables;
using ServerlessVideo.Core;
using ServerlessVideo.Pipeline.Api;
using ServerlessVideo.Pipeline.Messages;
using ServerlessVideo.Pipeline.Storage;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Pipeline.Tests;

public sealed class VideoListTests
{
    [Fact]
    public async Task Videos_list_newest_first_and_filter_by_status_top_label_and_any_label_at_a_confidence()
    {
        await using var h = await PipelineHarness.StartAsync();
        var (red, _, _) = await h.RunAsync(await TestVideos.ColourAsync(h.Scratch, "red", 160, 120, 25, 2));
        var (green, _, _) = await h.RunAsync(await TestVideos.ColourAsync(h.Scratch, "green", 160, 120, 25, 2));
        var (broken, _, _) = await h.RunAsync(await TestVideos.BadAsync("random", h.Scratch));
        var api = h.Service<VideoApi>();

        async Task<List<string>> Ids(VideoListQuery query)
        {
            var response = await api.ListVideosAsync(h.Client, query, CancellationToken.None);
            Assert.True(response.StatusCode == 200, response.Json);
            return [.. JsonNode.Parse(response.Json)!["items"]!.AsArray().Select(v => v!["id"]!.GetValue<string>())];
        }

        Assert.Equal([broken, green, red], await Ids(new VideoListQuery()));
        Assert.Equal([broken], await Ids(new VideoListQuery(Status: "failed")));
        Assert.Equal([green, red], await Ids(new VideoListQuery(Status: VideoStatuses.Completed)));
        Assert.Equal([green], await Ids(new VideoListQuery(Label: "green")));
        Assert.Equal([red], await Ids(new VideoListQuery(Label: "red", MinConfidence: "0.5")));
        // Green's own answer gives red a small share: any label at a low confidence finds both.
        Assert.Equal([green, red], await Ids(new VideoListQuery(Label: "red", MinConfidence: "0")));

        // One at a time, the cursor walks the same order, also when rows are filtered out of a page.
        var walked = new List<string>();
        string? cursor = null;
        do
        {
            var page = JsonNode.Parse((await api.ListVideosAsync(h.Client, new VideoListQuery("1", cursor, Label: "red", MinConfidence: "0"), CancellationToken.None)).Json)!;
            walked.AddRange(page["items"]!.AsArray().Select(v => v!["id"]!.GetValue<string>()));
            cursor = page["next"]?.GetValue<string>();
        }
        while (cursor is not null);

        Assert.Equal([green, red], walked);

        foreach (var (query, error) in new[]
        {
            (new VideoListQuery(Status: "Done"), "invalid_status"),
            (new VideoListQuery(Label: "red", MinConfidence: "1.5"), "invalid_min_confidence"),
            (new VideoListQuery(MinConfidence: "0.5"), "invalid_min_confidence"),
        })
        {
            var response = await api.ListVideosAsync(h.Client, query, CancellationToken.None);
            Assert.Equal((400, error), (response.StatusCode, JsonNode.Parse(response.Json)!["error"]!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task Rows_written_before_the_index_existed_are_listed_once_the_worker_creates_it()
    {
        var options = PipelineHarness.UniqueStorage(new PipelineOptions());
        var old = new TableClient(options.StorageConnectionString, options.VideosTable);
        await old.CreateIfNotExistsAsync();
        var ids = new[] { "a.mp4", "b.mp4" }.Select(n => VideoIds.FromBlob("videos", n, "1")).ToList();
        for (var i = 0; i < ids.Count; i++)
        {
            await old.AddEntityAsync(new VideoRow { PartitionKey = ids[i], Status = VideoStatuses.Completed, SubmittedAt = DateTimeOffset.UnixEpoch.AddDays(i) });
        }

        var storage = new StorageClients(Microsoft.Extensions.Options.Options.Create(options));
        var queries = new ResultQueries(storage);
        Assert.Empty((await queries.ListAsync(10, null, CancellationToken.None)).Rows);

        await storage.EnsureCreatedAsync();

        Assert.Equal([ids[1], ids[0]], (await queries.ListAsync(10, null, CancellationToken.None)).Rows.Select(r => r.PartitionKey));
    }

    /// <summary>
    /// <c>sv submit</c> records the Queued row when it uploads; the watcher starts the video a moment later. The video
    /// keeps the first time: one list entry, which follows it to Completed.
    /// </summary>
    [Fact]
    public async Task A_video_recorded_at_upload_and_started_later_is_listed_once_with_its_upload_time()
    {
        await using var h = await PipelineHarness.StartAsync();
        var (name, etag) = await h.UploadAsync(await TestVideos.ColourAsync(h.Scratch, "blue", 160, 120, 25, 1));
        var uploaded = DateTimeOffset.UtcNow.AddMinutes(-1);
        var id = await h.Service<Orchestration.VideoStarter>().RecordSubmittedAsync(h.Options.VideosContainer, name, etag, uploaded, CancellationToken.None);

        Assert.Equal(id, await h.StartAsync(name, etag));
        using var wait = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await h.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: false, wait.Token);

        var items = JsonNode.Parse((await h.Service<VideoApi>().ListVideosAsync(h.Client, new VideoListQuery(), CancellationToken.None)).Json)!["items"]!.AsArray();
        var item = Assert.Single(items)!;
        Assert.Equal((id, VideoStatuses.Completed), (item["id"]!.GetValue<string>(), item["status"]!.GetValue<string>()));
        Assert.Equal(uploaded, item["submittedAt"]!.GetValue<DateTimeOffset>(), TimeSpan.FromMilliseconds(1));
    }
}
