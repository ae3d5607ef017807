using Azure.Storage.Blobs.Models;
using ServerlessVideo.Core.Tensors;

namespace ServerlessVideo.Pipeline.Storage;

/// <summary>
/// Intermediate artifacts of a video, all under the prefix <c>{videoId}/</c> of the artifacts container so one
/// listing deletes them: clip tensors <c>{videoId}/{view}/clip-NNNN.svc</c>, their optical flow
/// <c>{videoId}/{view}/{flow}/clip-NNNN.svc</c>, scores <c>{videoId}/scores/{model}/seg-NNNN.json</c>.
/// </summary>
public sealed class ArtifactStore(StorageClients storage)
{
    /// <summary>The clip tensors of one segment of one view, one after another (each with its own header).</summary>
    public static string ClipsBlobName(string videoId, string viewKey, int segmentIndex) =>
        $"{videoId}/{viewKey}/seg-{segmentIndex:D4}.svc";

    /// <summary>Per-clip probabilities of every model of one (view, segment), keyed by model id.</summary>
    public static string ScoresBlobName(string videoId, string viewKey, int segmentIndex) =>
        $"{videoId}/scores/{viewKey}/seg-{segmentIndex:D4}.json";

    public async Task WriteClipsAsync(string blobName, IReadOnlyList<ClipTensor> clips, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clips);
        await storage.EnsureCreatedAsync();
        using var content = new MemoryStream();
        foreach (var clip in clips)
        {
            content.Write(clip.ToBytes());
        }

        content.Position = 0;
        await storage.Artifacts.GetBlobClient(blobName).UploadAsync(content, overwrite: true, cancellationToken);
    }

    public async Task<IReadOnlyList<ClipTensor>> ReadClipsAsync(string blobName, CancellationToken cancellationToken)
    {
        var content = await storage.Artifacts.GetBlobClient(blobName).DownloadContentAsync(cancellationToken);
        return ClipTensor.ManyFromBytes(content.Value.Content.ToMemory().Span);
    }

    public async Task WriteJsonAsync<T>(string blobName, T value, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync();
        await storage.Artifacts.GetBlobClient(blobName).UploadAsync(BinaryData.FromObjectAsJson(value, PipelineJson.Options), overwrite: true, cancellationToken);
    }

    public async Task<T> ReadJsonAsync<T>(string blobName, CancellationToken cancellationToken)
    {
        var content = await storage.Artifacts.GetBlobClient(blobName).DownloadContentAsync(cancellationToken);
        return content.Value.Content.ToObjectFromJson<T>(PipelineJson.Options)
            ?? throw new InvalidDataException($"Artifact '{blobName}' is empty.");
    }

    /// <summary>Deletes every artifact of a video; returns how many blobs went.</summary>
    public async Task<int> DeleteAllAsync(string videoId, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync();
        var count = 0;
        await foreach (var blob in storage.Artifacts.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{videoId}/", cancellationToken))
        {
            await storage.Artifacts.DeleteBlobIfExistsAsync(blob.Name, DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
            count++;
        }

        return count;
    }
}
