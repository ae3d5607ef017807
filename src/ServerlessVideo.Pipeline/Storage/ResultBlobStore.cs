using Azure;
using Azure.Storage.Blobs.Models;

namespace ServerlessVideo.Pipeline.Storage;

/// <summary>
/// A video's results kept in blobs, under <c>{videoId}/</c> in the results container: the timeline
/// (<c>timeline.json</c>, written before the row that says the video is Completed, so a Completed video has one) and
/// its pictures (the key-frame strip and flow pictures, written while it runs). They stay when the video's working
/// artifacts are deleted, and go with its results.
/// </summary>
public sealed class ResultBlobStore(StorageClients storage)
{
    public static string TimelineBlobName(string videoId) => $"{videoId}/timeline.json";

    public static string PictureBlobName(string videoId, string name) => $"{videoId}/{name}";

    public async Task WriteTimelineAsync(VideoTimeline timeline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        await storage.EnsureCreatedAsync();
        await storage.Results.GetBlobClient(TimelineBlobName(timeline.VideoId))
            .UploadAsync(BinaryData.FromObjectAsJson(timeline, PipelineJson.Options), overwrite: true, cancellationToken);
    }

    /// <summary>The stored timeline, or null when the video has none (not completed, or completed before timelines were kept).</summary>
    public async Task<VideoTimeline?> ReadTimelineAsync(string videoId, CancellationToken cancellationToken)
    {
        var content = await DownloadAsync(TimelineBlobName(videoId), cancellationToken);
        return content?.ToObjectFromJson<VideoTimeline>(PipelineJson.Options);
    }

    /// <summary>Stores picture <paramref name="name"/> of the video, with its content type.</summary>
    public async Task WritePictureAsync(string videoId, string name, byte[] bytes, string contentType, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync();
        await storage.Results.GetBlobClient(PictureBlobName(videoId, name)).UploadAsync(
            BinaryData.FromBytes(bytes),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } },
            cancellationToken);
    }

    /// <summary>Picture <paramref name="name"/> of the video, or null when there is none.</summary>
    public async Task<byte[]?> ReadPictureAsync(string videoId, string name, CancellationToken cancellationToken) =>
        (await DownloadAsync(PictureBlobName(videoId, name), cancellationToken))?.ToArray();

    /// <summary>Deletes every result blob of the video (timeline and pictures).</summary>
    public async Task DeleteVideoAsync(string videoId, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync();
        await foreach (var blob in storage.Results.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{videoId}/", cancellationToken))
        {
            await storage.Results.GetBlobClient(blob.Name).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        }
    }

    private async Task<BinaryData?> DownloadAsync(string blobName, CancellationToken cancellationToken)
    {
        try
        {
            return (await storage.Results.GetBlobClient(blobName).DownloadContentAsync(cancellationToken)).Value.Content;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }
}
