using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessVideo.Core;
using ServerlessVideo.Core.Planning;
using ServerlessVideo.Media;
using ServerlessVideo.Pipeline.Messages;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Pipeline.Tests;

/// <summary>Videos read in place from blob storage by ffprobe and ffmpeg through a read-only SAS, with range requests.</summary>
public sealed class StreamedInputTests
{
    [Fact]
    public async Task Clips_decoded_from_a_blob_url_are_the_frames_decoded_from_the_downloaded_file()
    {
        using var temp = new TempFolder();
        // 7 s at 10 fps, a keyframe every second, the index (moov) at the end: the reader must fetch the tail first and
        // seek by range for each window.
        var path = Path.Combine(temp.Path, "counting-gop.mp4");
        await TestVideos.FfmpegAsync(
            "-f lavfi -i color=c=black:s=64x64:r=10:d=7 -vf \"geq=lum='16+3*N':cb=128:cr=128\" -c:v libx264 -qp 0 -g 10 -pix_fmt yuv420p", path);
        var container = new BlobContainerClient(Azurite.ConnectionString, TestNames.Unique("streamed"));
        await container.CreateAsync();
        try
        {
            var blob = container.GetBlobClient("counting.mp4");
            await blob.UploadAsync(path);
            var remote = MediaInput.Remote(blob.GenerateSasUri(BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddMinutes(10)), new FileInfo(path).Length);
            Assert.DoesNotContain("sig=", remote.Name, StringComparison.Ordinal);

            var media = new MediaOptions();
            var prober = new VideoProber(media, NullLogger<VideoProber>.Instance);
            var source = new FrameSource(media, prober, NullLogger<FrameSource>.Instance);
            var local = MediaInput.File(path);
            var probe = await prober.ProbeAsync(remote, CancellationToken.None);
            Assert.Equal(await prober.ProbeAsync(local, CancellationToken.None), probe);

            // Two windows far apart (a decode each, each seeking to its keyframe) and a sparse view across the video.
            var clips = new FrameView(Fps: 10, ResizeShortSide: 32, CropSize: 32, ClipLength: 5);
            var sparse = new FrameView(Fps: 1, ResizeShortSide: 32, CropSize: 32, ClipLength: 6);
            ClipRequest[] requests = [new(clips, new ClipSpan(0, 0.5)), new(clips, new ClipSpan(1, 5.2)), new(sparse, new ClipSpan(0, 0.5))];
            var fromBlob = await source.ExtractAsync(remote, probe, requests, CancellationToken.None);
            var fromFile = await source.ExtractAsync(local, probe, requests, CancellationToken.None);
            for (var i = 0; i < requests.Length; i++)
            {
                Assert.Equal(fromFile[i].Data, fromBlob[i].Data);
            }

            var counts = Enumerable.Range(0, 5).Select(f => TestVideos.CountOf(fromBlob[1].Data.AsSpan(f * fromBlob[1].FrameBytes, fromBlob[1].FrameBytes))).ToList();
            Assert.Equal([52, 53, 54, 55, 56], counts);
        }
        finally
        {
            await container.DeleteIfExistsAsync();
        }
    }

    [Fact]
    public async Task A_video_streamed_through_the_pipeline_is_classified_without_a_local_copy()
    {
        await using var h = await PipelineHarness.StartAsync(twoModels: true, configure: x => x.Options.StreamFromBytes = 0);
        var path = await TestVideos.ColourAsync(h.Scratch, "green", 320, 240, 25, 6);
        var (id, outcome, _) = await h.RunAsync(path);

        Assert.Equal(VideoStatuses.Completed, outcome.Status);
        Assert.Equal("green", outcome.TopLabel);
        var models = await h.RowsAsync(h.ModelRows, id);
        Assert.Equal([3, 5], models.Select(m => m.GetInt32("Clips")).Order());
        Assert.False(Directory.Exists(Path.Combine(h.Options.WorkFolder, "videos", id)));
        Assert.Equal(0, await h.ArtifactCountAsync(id));
    }
}
