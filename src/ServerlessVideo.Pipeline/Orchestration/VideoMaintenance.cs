using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using ServerlessVideo.Pipeline.Storage;

namespace ServerlessVideo.Pipeline.Orchestration;

/// <summary>
/// Deleting a finished video's results, and running a finished video again from the same upload (same blob version,
/// so the same id). Both refuse a video whose orchestration has not ended: the caller waits for it.
/// </summary>
public sealed partial class VideoMaintenance(
    ResultStore results, ResultBlobStore resultBlobs, VideoFileCache files, VideoStarter starter, TimeProvider time, ILogger<VideoMaintenance> logger)
{
    /// <summary>
    /// Removes the rows, index entry, timeline and durable history of <paramref name="row"/>'s video, and with
    /// <paramref name="deleteUpload"/> the uploaded blob if it is still that version. Returns whether the blob went.
    /// </summary>
    public async Task<bool> DeleteAsync(DurableTaskClient client, VideoRow row, bool deleteUpload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        await ForgetAsync(client, row, cancellationToken);
        var blobDeleted = deleteUpload && row.BlobName is not null && row.BlobETag is not null
            && await files.DeleteUploadAsync(row.BlobName, row.BlobETag, cancellationToken);
        LogDeleted(logger, row.PartitionKey, blobDeleted);
        return blobDeleted;
    }

    /// <summary>
    /// Starts <paramref name="row"/>'s video again from its upload: the old results go and a new Queued row (submitted
    /// now) takes their place. False, changing nothing, when that blob version no longer exists.
    /// </summary>
    public async Task<bool> ReprocessAsync(DurableTaskClient client, VideoRow row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Container is null || row.BlobName is null || row.BlobETag is null
            || await files.FindSizeAsync(row.BlobName, row.BlobETag, cancellationToken) is null)
        {
            return false;
        }

        await ForgetAsync(client, row, cancellationToken);
        await starter.StartAsync(client, row.Container, row.BlobName, row.BlobETag, time.GetUtcNow(), cancellationToken);
        LogReprocessed(logger, row.PartitionKey);
        return true;
    }

    /// <summary>Whether the video's orchestration still runs (its row can be final a moment before it ends).</summary>
    public static async Task<bool> IsRunningAsync(DurableTaskClient client, string videoId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var instance = await client.GetInstanceAsync(videoId, getInputsAndOutputs: false, cancellationToken).WaitAsync(cancellationToken);
        return instance is { IsCompleted: false };
    }

    private async Task ForgetAsync(DurableTaskClient client, VideoRow row, CancellationToken cancellationToken)
    {
        await client.PurgeInstanceAsync(row.PartitionKey, cancellation: cancellationToken).WaitAsync(cancellationToken);
        await resultBlobs.DeleteVideoAsync(row.PartitionKey, cancellationToken);
        await results.DeleteAsync(row, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Video {VideoId} deleted (upload deleted: {BlobDeleted})")]
    private static partial void LogDeleted(ILogger logger, string videoId, bool blobDeleted);

    [LoggerMessage(Level = LogLevel.Information, Message = "Video {VideoId} queued again from its upload")]
    private static partial void LogReprocessed(ILogger logger, string videoId);
}
