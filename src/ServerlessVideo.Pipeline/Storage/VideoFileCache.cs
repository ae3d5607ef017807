using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessVideo.Core;
using ServerlessVideo.Media;
using ServerlessVideo.Pipeline.Messages;

namespace ServerlessVideo.Pipeline.Storage;

/// <summary>
/// What ffmpeg reads an uploaded video from. Large videos (<see cref="PipelineOptions.StreamFromBytes"/>, when set) are read in
/// place through a read-only SAS URL with HTTP range requests; the others are downloaded, once per video per worker,
/// into a local copy that worker's activities share. Downloads are conditional on the job's ETag, so a blob overwritten
/// mid-flight is never mixed in, and the version downloaded is the one the probe checked against the size cap (before
/// any download); a streamed video is checked against its ETag after each read instead (<see cref="EnsureUnchangedAsync"/>).
/// </summary>
public sealed partial class VideoFileCache(StorageClients storage, IOptions<PipelineOptions> options, ILogger<VideoFileCache> logger)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);
    private UserDelegationKey? _delegationKey;
    private bool _cannotSign;

    /// <summary>
    /// The input for <paramref name="job"/>'s blob of <paramref name="sizeBytes"/>: a ranged URL when it is large and
    /// this worker can sign one, else the local copy (downloaded if this worker has none).
    /// </summary>
    public async Task<MediaInput> GetInputAsync(VideoJob job, long sizeBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (options.Value.StreamFromBytes is { } streamFrom && sizeBytes >= streamFrom && await SignAsync(job, cancellationToken) is { } url)
        {
            return MediaInput.Remote(url, sizeBytes);
        }

        return MediaInput.File(await GetLocalPathAsync(job, cancellationToken));
    }

    /// <summary>
    /// After <paramref name="input"/> was read in place: fails as <see cref="ReasonCodes.NotFound"/> when the blob is no
    /// longer the version the job names. A local copy needs no check (its download was conditional on the ETag).
    /// </summary>
    public async Task EnsureUnchangedAsync(VideoJob job, MediaInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(input);
        if (input.IsRemote && await FindSizeAsync(job.BlobName, job.ETag, cancellationToken) is null)
        {
            throw Gone(job, null);
        }
    }

    /// <summary>
    /// A read-only SAS URL for the blob: signed with the account key when the connection string has one, else with a
    /// user delegation key (the worker's identity needs <c>generateUserDelegationKey</c>, which the Storage Blob Data
    /// roles include). Null when neither works: the video is downloaded instead, and the reason logged once.
    /// </summary>
    private async Task<Uri?> SignAsync(VideoJob job, CancellationToken cancellationToken)
    {
        var blob = storage.Videos.GetBlobClient(job.BlobName);
        var expires = DateTimeOffset.UtcNow + options.Value.StreamAccess;
        if (blob.CanGenerateSasUri)
        {
            return blob.GenerateSasUri(BlobSasPermissions.Read, expires);
        }

        if (_cannotSign)
        {
            return null;
        }

        var key = await DelegationKeyAsync(expires, cancellationToken);
        if (key is null)
        {
            return null;
        }

        var sas = new BlobSasBuilder(BlobSasPermissions.Read, expires)
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            Resource = "b",
        };
        return new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(key, blob.AccountName) }.ToUri();
    }

    /// <summary>
    /// This worker's user delegation key, renewed when it would expire before <paramref name="until"/> (two activities
    /// renewing at once both get a valid key; the last one is kept).
    /// </summary>
    private async Task<UserDelegationKey?> DelegationKeyAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        try
        {
            if (_delegationKey is { } key && key.SignedExpiresOn >= until)
            {
                return key;
            }

            // Keys live at most seven days; a day at a time, renewed as they near their end.
            var service = storage.Videos.GetParentBlobServiceClient();
            var start = DateTimeOffset.UtcNow.AddMinutes(-5);
            _delegationKey = (await service.GetUserDelegationKeyAsync(start, until.AddDays(1), cancellationToken)).Value;
            return _delegationKey;
        }
        catch (RequestFailedException ex)
        {
            _cannotSign = true;
            LogCannotSign(logger, ex.Status, ex.ErrorCode ?? ex.Message);
            return null;
        }
    }

    /// <summary>
    /// Size and metadata of <paramref name="job"/>'s blob version; <see cref="ReasonCodes.NotFound"/> when it is gone. One
    /// read of the blob's first <see cref="FirstRead"/> bytes: a blob no larger comes whole with its facts and becomes
    /// this worker's local copy (unless it is read in place), so a short clip costs one request, not a look and a
    /// download. Nothing more than that is read before the caller checks the size.
    /// </summary>
    public async Task<BlobFacts> GetFactsAsync(VideoJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        BlobDownloadStreamingResult first;
        try
        {
            first = (await storage.Videos.GetBlobClient(job.BlobName).DownloadStreamingAsync(
                new BlobDownloadOptions { Range = new HttpRange(0, FirstRead), Conditions = new BlobRequestConditions { IfMatch = new ETag(job.ETag) } },
                cancellationToken)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            throw Gone(job, ex);
        }
        catch (RequestFailedException ex) when (ex.Status == 416)
        {
            // An empty blob has no first byte to read.
            return await FindAsync(job.BlobName, job.ETag, cancellationToken) ?? throw Gone(job, ex);
        }

        using (first)
        {
            var size = TotalSize(first.Details);
            var streamed = options.Value.StreamFromBytes is { } streamFrom && size >= streamFrom;
            if (size <= FirstRead && !streamed)
            {
                await KeepLocalAsync(job, partial => WriteAsync(first.Content, partial, cancellationToken), cancellationToken);
            }

            return new BlobFacts(size, first.Details.Metadata);
        }
    }

    /// <summary>Bytes <see cref="GetFactsAsync"/> reads: a blob this small is downloaded with its facts.</summary>
    public const int FirstRead = 4 * 1024 * 1024;

    /// <summary>The whole blob's size from a ranged read's <c>Content-Range</c> (bytes first-last/total).</summary>
    private static long TotalSize(BlobDownloadDetails details) =>
        details.ContentRange is { } range && range.LastIndexOf('/') is var slash and >= 0
            && long.TryParse(range.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var total)
            ? total
            : details.ContentLength;

    private static async Task WriteAsync(Stream content, string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        await content.CopyToAsync(file, cancellationToken);
    }

    /// <summary>The size of this exact version of a blob (name and ETag), or null when it was deleted or overwritten.</summary>
    public async Task<long?> FindSizeAsync(string blobName, string etag, CancellationToken cancellationToken) =>
        (await FindAsync(blobName, etag, cancellationToken))?.Size;

    /// <summary>Deletes the uploaded blob if it is still this version; false when it was deleted or overwritten (a newer upload is left alone).</summary>
    public async Task<bool> DeleteUploadAsync(string blobName, string etag, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Videos.GetBlobClient(blobName).DeleteAsync(
                DeleteSnapshotsOption.IncludeSnapshots, new BlobRequestConditions { IfMatch = new ETag(etag) }, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>Size and metadata of this exact version of a blob, or null when it was deleted or overwritten.</summary>
    private async Task<BlobFacts?> FindAsync(string blobName, string etag, CancellationToken cancellationToken)
    {
        try
        {
            var props = await storage.Videos.GetBlobClient(blobName)
                .GetPropertiesAsync(new BlobRequestConditions { IfMatch = new ETag(etag) }, cancellationToken);
            return new BlobFacts(props.Value.ContentLength, props.Value.Metadata);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return null;
        }
    }

    /// <summary>Path of the local copy of <paramref name="job"/>'s blob, downloading it if this worker has none.</summary>
    public Task<string> GetLocalPathAsync(VideoJob job, CancellationToken cancellationToken) =>
        KeepLocalAsync(job, async partial =>
        {
            try
            {
                await storage.Videos.GetBlobClient(job.BlobName).DownloadToAsync(partial,
                    new BlobDownloadToOptions
                    {
                        Conditions = new BlobRequestConditions { IfMatch = new ETag(job.ETag) },
                        // 4 MiB ranges, two at a time: the buffers stay pooled after the download, so what is in flight
                        // shows in the worker's peak memory (bench, 10 min of 720p vs 10 s: 8 MiB × 4 gave 1.21×,
                        // 8 MiB × 2 1.15×, 4 MiB × 2 1.08×), at the price of a slower download of a large file
                        // (266 MB from local storage: 1.3 s, 2.0 s, 2.8 s).
                        TransferOptions = new Azure.Storage.StorageTransferOptions
                        {
                            InitialTransferSize = 4 * 1024 * 1024,
                            MaximumTransferSize = 4 * 1024 * 1024,
                            MaximumConcurrency = 2,
                        },
                    }, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
                throw Gone(job, ex);
            }
        }, cancellationToken);

    /// <summary>
    /// Path of the local copy of <paramref name="job"/>'s blob; when this worker has none, <paramref name="write"/> makes it
    /// under a name of its own that becomes the copy once whole.
    /// </summary>
    private async Task<string> KeepLocalAsync(VideoJob job, Func<string, Task> write, CancellationToken cancellationToken)
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
                await write(partial);
            }
            catch
            {
                File.Delete(partial);
                throw;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Large videos are downloaded, not streamed: no user delegation key ({Status} {Error}); grant the worker's identity a Storage Blob Data role that includes generateUserDelegationKey")]
    private static partial void LogCannotSign(ILogger logger, int status, string error);

    private static MediaRejectedException Gone(VideoJob job, RequestFailedException? ex) =>
        new(ReasonCodes.NotFound, $"Blob '{job.Container}/{job.BlobName}' with ETag {job.ETag} no longer exists (deleted or overwritten).", ex);
}

/// <summary>What the blob's properties say about an upload: its size and its metadata (keys in lower case).</summary>
public sealed record BlobFacts(long Size, IDictionary<string, string> Metadata)
{
    /// <summary>The upload's <c>models</c> metadata: the model ids or label spaces to run for it, or null for the worker's setting.</summary>
    public string? Models => Metadata.FirstOrDefault(m => string.Equals(m.Key, "models", StringComparison.OrdinalIgnoreCase)).Value;
}
