using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;

namespace ServerlessVideo.Pipeline.Storage;

/// <summary>The blob containers and tables the pipeline uses, created on first use.</summary>
public sealed class StorageClients
{
    private readonly Lazy<Task> _created;
    private readonly TableServiceClient _tables;

    public StorageClients(IOptions<PipelineOptions> options)
    {
        var o = options.Value;
        BlobServiceClient blobs;
        TableServiceClient tables;
        if (!string.IsNullOrWhiteSpace(o.StorageConnectionString))
        {
            blobs = new BlobServiceClient(o.StorageConnectionString);
            tables = new TableServiceClient(o.StorageConnectionString);
        }
        else if (!string.IsNullOrWhiteSpace(o.StorageAccountName))
        {
            // Shared-key access is off on the deployed account: a managed identity with data roles is the way in.
            var credential = Credential(o);
            blobs = new BlobServiceClient(new Uri($"https://{o.StorageAccountName}.blob.core.windows.net"), credential);
            tables = new TableServiceClient(new Uri($"https://{o.StorageAccountName}.table.core.windows.net"), credential);
        }
        else
        {
            throw new InvalidOperationException("Set Pipeline:StorageConnectionString or Pipeline:StorageAccountName.");
        }

        Videos = blobs.GetBlobContainerClient(o.VideosContainer);
        Artifacts = blobs.GetBlobContainerClient(o.ArtifactsContainer);
        _tables = tables;
        VideoRows = tables.GetTableClient(o.VideosTable);
        ModelRows = tables.GetTableClient(o.ModelResultsTable);
        _created = new Lazy<Task>(CreateAllAsync);
    }

    public BlobContainerClient Videos { get; }

    public BlobContainerClient Artifacts { get; }

    public TableClient VideoRows { get; }

    public TableClient ModelRows { get; }

    /// <summary>Another table in the same account, reached the same way.</summary>
    public TableClient Table(string name) => _tables.GetTableClient(name);

    /// <summary>The identity used where no connection string is set (managed identity in Azure).</summary>
    public static DefaultAzureCredential Credential(PipelineOptions o) => new(new DefaultAzureCredentialOptions
    {
        ManagedIdentityClientId = string.IsNullOrWhiteSpace(o.ManagedIdentityClientId) ? null : o.ManagedIdentityClientId,
    });

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
