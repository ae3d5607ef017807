using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using ServerlessVideo.Core;
using ServerlessVideo.Media;
using ServerlessVideo.Pipeline.Messages;

namespace ServerlessVideo.Pipeline.Storage;

/// <summary>
/// Local copies of uploaded videos for ffmpeg, one per video per worker, downloaded once and shared by that worker's
/// activities. Downloads are conditional on the job's ETag, so a blob overwritten mid-flight is never mixed in, and the
/// version downloaded is the one the probe checked against the size cap (before any download).
/// </summary>
public sealed class VideoFileCache(StorageClients storage, IOptions<PipelineOptions> options)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    /// <summary>The blob's size, read without downloading, checked against the size cap.</summary>
    public async Task<long> GetSizeAsync(VideoJob job, CancellationToken cancellationToken) =>
        await FindSizeAsync(job.BlobName, job.ETag, cancellationToken)
        ?? throw Gone(job, null);

    /// <summary>The size of this exact version of a blob (name and ETag), or null when it was deleted or overwritten.</summary>
    public async Task<long?> FindSizeAsync(string blobName, string etag, CancellationToken cancellationToken)
    {
        try
        {
            var props = await storage.Videos.GetBlobClient(blobName)
                .GetPropertiesAsync(new BlobRequestConditions { IfMatch = new ETag(etag) }, cancellationToken);
            return props.Value.ContentLength;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return null;
        }
    }

    /// <summary>Path of the local copy of <paramref name="job"/>'s blob, downloading it if this worker has none.</summary>
    public async Task<string> GetLocalPathAsync(VideoJob job, CancellationToken cancellationToken)
    {
        var folder = FolderOf(job.VideoId);
        var path = Path.Combine(folder, "source");
        var gate = _locks.GetOrAdd(job.VideoId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (File.Exists(path))
            {
                return path;
            }

            Directory.CreateDirectory(folder);
            // A name of its own: another worker process sharing this folder may be downloading the same video.
            var partial = $"{path}.{Guid.NewGuid():N}.partial";
            try
            {
                await storage.Videos.GetBlobClient(job.BlobName).DownloadToAsync(partial,
                    new BlobDownloadToOptions
                    {
                        Conditions = new BlobRequestConditions { IfMatch = new ETag(job.ETag) },
                        // 8 MiB ranges, four at a time: the SDK's defaults buffer far more at once, which showed in
                        // the worker's peak memory for long videos, for no gain in speed from local storage.
                        TransferOptions = new Azure.Storage.StorageTransferOptions
                        {
                            InitialTransferSize = 8 * 1024 * 1024,
                            MaximumTransferSize = 8 * 1024 * 1024,
                            MaximumConcurrency = 4,
                        },
                    }, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
                throw Gone(job, ex);
            }

            File.Move(partial, path, overwrite: true);
            return path;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Removes this worker's copy of a video.</summary>
    public void Evict(string videoId)
    {
        var folder = FolderOf(videoId);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        _locks.TryRemove(videoId, out _);
    }

    private string FolderOf(string videoId) => Path.Combine(options.Value.WorkFolder, "videos", videoId);

    private static MediaRejectedException Gone(VideoJob job, RequestFailedException? ex) =>
        new(ReasonCodes.NotFound, $"Blob '{job.Container}/{job.BlobName}' with ETag {job.ETag} no longer exists (deleted or overwritten).", ex);
}
