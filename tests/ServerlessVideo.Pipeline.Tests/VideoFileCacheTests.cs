using Azure.Storage.Blobs.Models;
using ServerlessVideo.Core;
using ServerlessVideo.Media;
using ServerlessVideo.Pipeline.Messages;
using ServerlessVideo.Pipeline.Storage;

namespace ServerlessVideo.Pipeline.Tests;

/// <summary>
/// The facts of an upload (size, metadata) come from one read of its first bytes; a small upload comes whole with them
/// and is the local copy from then on, a large one is only measured.
/// </summary>
public sealed class VideoFileCacheTests
{
    [Fact]
    public async Task A_small_upload_comes_whole_with_its_facts_and_is_the_local_copy()
    {
        await using var h = await StartAsync();
        var bytes = Bytes(300_000);
        var job = await UploadAsync(h, "small.bin", bytes, new Dictionary<string, string> { ["models"] = "tsn-synthmotion" });
        var files = h.Service<VideoFileCache>();

        var facts = await files.GetFactsAsync(job, CancellationToken.None);
        Assert.Equal(bytes.Length, facts.Size);
        Assert.Equal("tsn-synthmotion", facts.Models);
        var local = LocalCopy(h, job);
        Assert.True(File.Exists(local));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(local));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(local)!, "*.partial"));

        // The input is that copy: deleting the blob now does not matter to this worker.
        await h.Videos.DeleteBlobAsync(job.BlobName);
        var input = await files.GetInputAsync(job, facts.Size, CancellationToken.None);
        Assert.Equal(local, input.Name);
    }

    [Fact]
    public async Task A_large_upload_is_measured_not_downloaded_until_asked_for()
    {
        await using var h = await StartAsync();
        var bytes = Bytes(VideoFileCache.FirstRead + 123_457);
        var job = await UploadAsync(h, "large.bin", bytes);
        var files = h.Service<VideoFileCache>();

        var facts = await files.GetFactsAsync(job, CancellationToken.None);
        Assert.Equal(bytes.Length, facts.Size);
        Assert.Null(facts.Models);
        Assert.False(File.Exists(LocalCopy(h, job)));

        var input = await files.GetInputAsync(job, facts.Size, CancellationToken.None);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(input.Name));
    }

    [Fact]
    public async Task An_empty_upload_has_size_zero_and_an_overwritten_one_is_not_found()
    {
        await using var h = await StartAsync();
        var files = h.Service<VideoFileCache>();
        var empty = await UploadAsync(h, "empty.bin", []);
        Assert.Equal(0, (await files.GetFactsAsync(empty, CancellationToken.None)).Size);

        var first = await UploadAsync(h, "again.bin", Bytes(1000));
        await UploadAsync(h, "again.bin", Bytes(2000));
        var gone = await Assert.ThrowsAsync<MediaRejectedException>(() => files.GetFactsAsync(first, CancellationToken.None));
        Assert.Equal(ReasonCodes.NotFound, gone.ReasonCode);
        Assert.False(File.Exists(LocalCopy(h, first)));
    }

    private static Task<PipelineHarness> StartAsync() =>
        PipelineHarness.StartAsync(configure: x => x.Options.WorkFolder = Path.Combine(x.Scratch, "work"));

    private static byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        new Random(count).NextBytes(bytes);
        return bytes;
    }

    private static async Task<VideoJob> UploadAsync(PipelineHarness h, string name, byte[] bytes, IDictionary<string, string>? metadata = null)
    {
        var uploaded = await h.Videos.GetBlobClient(name).UploadAsync(new BinaryData(bytes), new BlobUploadOptions { Metadata = metadata });
        var etag = uploaded.Value.ETag.ToString().Trim('"');
        return new VideoJob(VideoIds.FromBlob(h.Options.VideosContainer, name, etag), h.Options.VideosContainer, name, etag, DateTimeOffset.UtcNow);
    }

    private static string LocalCopy(PipelineHarness h, VideoJob job) => Path.Combine(h.Options.WorkFolder, "videos", job.VideoId, "source");
}
