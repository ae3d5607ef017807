using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using ServerlessVideo.Pipeline.Orchestration;

namespace ServerlessVideo.Functions;

/// <summary>
/// Starts one orchestration per uploaded blob version. Event Grid delivers blob-created events (no container polling);
/// the shared <see cref="VideoStarter"/> derives the instance id from (container, name, ETag) so a re-delivered event
/// starts nothing new.
/// </summary>
public sealed class VideoUploadTrigger(VideoStarter starter, TimeProvider time)
{
    public const string Name = "OnVideoUploaded";

    [Function(Name)]
    public async Task RunAsync(
        [BlobTrigger("videos/{name}", Source = BlobTriggerSource.EventGrid, Connection = "VideoStorage")] BlobClient blob,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
        await starter.StartAsync(client, blob.BlobContainerName, blob.Name, properties.Value.ETag.ToString(), time.GetUtcNow(), cancellationToken);
    }
}
