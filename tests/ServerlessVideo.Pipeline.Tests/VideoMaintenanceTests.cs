using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using ServerlessVideo.Pipeline.Api;
using ServerlessVideo.Pipeline.Messages;
using ServerlessVideo.Pipeline.Orchestration;
using ServerlessVideo.Pipeline.Storage;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Pipeline.Tests;

public sealed class VideoMaintenanceTests
{
    [Fact]
    public async Task Deleting_a_video_removes_its_rows_timeline_pictures_history_and_on_request_its_upload()
    {
        await using var h = await PipelineHarness.StartAsync();
        var api = h.Service<VideoApi>();
        var (kept, _, _) = await h.RunAsync(await TestVideos.ColourAsync(h.Scratch, "red", 160, 120, 25, 2));
        var blue = await TestVideos.ColourAsync(h.Scratch, "blue", 160, 120, 25, 2);
        var (gone, _, _) = await h.RunAsync(blue);
        Assert.True(await h.Results.GetBlobClient(ResultBlobStore.PictureBlobName(kept, "keyframes.jpg")).ExistsAsync());

        var first = await api.DeleteVideoAsync(h.Client, kept, null, CancellationToken.None);
        var second = await api.DeleteVideoAsync(h.Client, gone, "true", CancellationToken.None);

        Assert.Equal((200, false), (first.StatusCode, JsonNode.Parse(first.Json)!["blobDeleted"]!.GetValue<bool>()));
        Assert.Equal((200, true), (second.StatusCode, JsonNode.Parse(second.Json)!["blobDeleted"]!.GetValue<bool>()));
        foreach (var id in new[] { kept, gone })
        {
            Assert.Equal(404, (await api.GetVideoAsync(h.Client, id, CancellationToken.None)).StatusCode);
            Assert.Empty(await h.RowsAsync(h.ModelRows, id));
            Assert.Null(await h.Client.GetInstanceAsync(id));
            Assert.Empty(h.Results.GetBlobs(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, $"{id}/", CancellationToken.None));
        }

        Assert.Empty(JsonNode.Parse((await api.ListVideosAsync(h.Client, new VideoListQuery(), CancellationToken.None)).Json)!["items"]!.AsArray());
        Assert.True(await h.Videos.GetBlobClient("red-160x120-25fps-2s.mp4").ExistsAsync());
        Assert.False(await h.Videos.GetBlobClient(Path.GetFileName(blue)).ExistsAsync());
        Assert.Equal(404, (await api.DeleteVideoAsync(h.Client, kept, null, CancellationToken.None)).StatusCode);
        Assert.Equal(400, (await api.DeleteVideoAsync(h.Client, kept, "yes", CancellationToken.None)).StatusCode);
    }

    [Fact]
    public async Task Reprocessing_runs_the_same_upload_again_under_the_same_id_and_refuses_what_has_not_finished_or_changed()
    {
        await using var h = await PipelineHarness.StartAsync();
        var api = h.Service<VideoApi>();
        var green = await TestVideos.ColourAsync(h.Scratch, "green", 160, 120, 25, 2);
        var (id, _, _) = await h.RunAsync(green);
        var before = JsonNode.Parse((await api.GetVideoAsync(h.Client, id, CancellationToken.None)).Json)!;

        var response = await api.ReprocessVideoAsync(h.Client, id, CancellationToken.None);

        Assert.True(response.StatusCode == 202, response.Json);
        Assert.Equal(id, JsonNode.Parse(response.Json)!["id"]!.GetValue<string>());
        using var wait = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var instance = await h.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, wait.Token);
        Assert.Equal(VideoStatuses.Completed, instance.ReadOutputAs<VideoOutcome>()!.Status);
        var after = JsonNode.Parse((await api.GetVideoAsync(h.Client, id, CancellationToken.None)).Json)!;
        Assert.Equal("green", after["labels"]![0]!["label"]!.GetValue<string>());
        Assert.True(after["submittedAt"]!.GetValue<DateTimeOffset>() > before["submittedAt"]!.GetValue<DateTimeOffset>());
        Assert.Single(await h.RowsAsync(h.ModelRows, id));
        Assert.Single(await h.RowsAsync(h.VideoRows, id));
        Assert.Equal([id], JsonNode.Parse((await api.ListVideosAsync(h.Client, new VideoListQuery(), CancellationToken.None)).Json)!["items"]!.AsArray().Select(v => v!["id"]!.GetValue<string>()));

        // A video still Queued cannot be reprocessed or deleted.
        var (name, etag) = await h.UploadAsync(await TestVideos.ColourAsync(h.Scratch, "red", 160, 120, 25, 1));
        var queued = await h.Service<VideoStarter>().RecordSubmittedAsync(h.Options.VideosContainer, name, etag, DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.Equal("not_finished", JsonNode.Parse((await api.ReprocessVideoAsync(h.Client, queued, CancellationToken.None)).Json)!["error"]!.GetValue<string>());
        Assert.Equal(409, (await api.DeleteVideoAsync(h.Client, queued, null, CancellationToken.None)).StatusCode);

        // Once the upload is overwritten, the old version cannot run again.
        await h.Videos.GetBlobClient(Path.GetFileName(green)).UploadAsync(BinaryData.FromString("other bytes"), overwrite: true);
        var changed = await api.ReprocessVideoAsync(h.Client, id, CancellationToken.None);
        Assert.Equal((409, "upload_changed"), (changed.StatusCode, JsonNode.Parse(changed.Json)!["error"]!.GetValue<string>()));
        Assert.Equal(200, (await api.GetVideoAsync(h.Client, id, CancellationToken.None)).StatusCode);
    }
}
