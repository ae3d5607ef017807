using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;

namespace ServerlessVideo.Pipeline.Storage;

/// <summary>The blob containers and tables the pipeline uses, created on first use.</summary>
public sealed class StorageClients
{
    private readonly Lazy<Task> _created;

    public StorageClients(IOptions<PipelineOptions> options)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.StorageConnectionString))
        {
            throw new InvalidOperationException("Pipeline:StorageConnectionString is not set.");
        }

        var blobs = new BlobServiceClient(o.StorageConnectionString);
        var tables = new TableServiceClient(o.StorageConnectionString);
        Videos = blobs.GetBlobContainerClient(o.VideosContainer);
        Artifacts = blobs.GetBlobContainerClient(o.ArtifactsContainer);
        VideoRows = tables.GetTableClient(o.VideosTable);
        ModelRows = tables.GetTableClient(o.ModelResultsTable);
        _created = new Lazy<Task>(CreateAllAsync);
    }

    public BlobContainerClient Videos { get; }

    public BlobContainerClient Artifacts { get; }

    public TableClient VideoRows { get; }

    public TableClient ModelRows { get; }

    /// <summary>Creates the containers and tables if missing (once per process).</summary>
    public Task EnsureCreatedAsync() => _created.Value;

    private async Task CreateAllAsync()
    {
        await Videos.CreateIfNotExistsAsync();
        await Artifacts.CreateIfNotExistsAsync();
        await VideoRows.CreateIfNotExistsAsync();
        await ModelRows.CreateIfNotExistsAsync();
    }
}
