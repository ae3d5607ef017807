using Azure;

namespace ServerlessVideo.Pipeline.Storage;

/// <summary>
/// A video's timeline, <c>{videoId}/timeline.json</c> in the results container: written before the row that says the
/// video is Completed, so a Completed video has one.
/// </summary>
public sealed class TimelineStore(StorageClients storage)
{
    public static string BlobName(string videoId) => $"{videoId}/timeline.json";

    public async Task WriteAsync(VideoTimeline timeline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        await storage.EnsureCreatedAsync();
        await storage.Results.GetBlobClient(BlobName(timeline.VideoId))
            .UploadAsync(BinaryData.FromObjectAsJson(timeline, PipelineJson.Options), overwrite: true, cancellationToken);
    }

    public async Task DeleteAsync(string videoId, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync();
        await storage.Results.GetBlobClient(BlobName(videoId)).DeleteIfExistsAsync(cancellationToken: cancellationToken);
    }

    /// <summary>The stored timeline, or null when the video has none (not completed, or completed before timelines were kept).</summary>
    public async Task<VideoTimeline?> ReadAsync(string videoId, CancellationToken cancellationToken)
    {
        try
        {
            var content = await storage.Results.GetBlobClient(BlobName(videoId)).DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToObjectFromJson<VideoTimeline>(PipelineJson.Options);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }
}
