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
    public static string ClipBlobName(string videoId, string viewKey, int clipIndex) =>
        $"{videoId}/{viewKey}/clip-{clipIndex:D4}.svc";

    /// <summary>Per-clip probabilities of every model of one (view, segment), keyed by model id.</summary>
    public static string ScoresBlobName(string videoId, string viewKey, int segmentIndex) =>
        $"{videoId}/scores/{viewKey}/seg-{segmentIndex:D4}.json";

    public async Task WriteClipAsync(string blobName, ClipTensor clip, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync();
        await storage.Artifacts.GetBlobClient(blobName).UploadAsync(BinaryData.FromBytes(clip.ToBytes()), overwrite: true, cancellationToken);
    }

    public async Task<ClipTensor> ReadClipAsync(string blobName, CancellationToken cancellationToken)
    {
        var content = await storage.Artifacts.GetBlobClient(blobName).DownloadContentAsync(cancellationToken);
        return ClipTensor.FromBytes(content.Value.Content.ToMemory().Span);
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
