using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace ServerlessVideo.Cli.Commands.Bench;

/// <summary>
/// Removes what a bench run left in the shared Azurite: the uploaded videos (hundreds of MB for the long ones) and
/// everything a throw-away worker created under its own prefix (containers, queues, tables of its task hub and
/// pipeline). Best effort: a failure here costs disk space, not the measurement.
/// </summary>
internal static class BenchCleanup
{
    /// <summary>Deletes every container, queue and table whose name starts with <paramref name="prefix"/> (tables: case-insensitively).</summary>
    public static async Task DeletePrefixAsync(string connectionString, string prefix)
    {
        try
        {
            var blobs = new BlobServiceClient(connectionString);
            await foreach (var container in blobs.GetBlobContainersAsync(prefix: prefix))
            {
                await blobs.DeleteBlobContainerAsync(container.Name);
            }

            var queues = new QueueServiceClient(connectionString);
            await foreach (var queue in queues.GetQueuesAsync(prefix: prefix))
            {
                await queues.DeleteQueueAsync(queue.Name);
            }

            var tables = new TableServiceClient(connectionString);
            await foreach (var table in tables.QueryAsync())
            {
                if (table.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    await tables.DeleteTableAsync(table.Name);
                }
            }
        }
        catch (RequestFailedException)
        {
        }
    }

    /// <summary>Deletes the named blobs of <paramref name="container"/>.</summary>
    public static async Task DeleteBlobsAsync(BlobContainerClient container, IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            try
            {
                await container.DeleteBlobIfExistsAsync(name);
            }
            catch (RequestFailedException)
            {
            }
        }
    }
}
