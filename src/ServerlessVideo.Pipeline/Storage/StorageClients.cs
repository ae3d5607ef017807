using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using ServerlessVideo.Pipeline.Telemetry;

namespace ServerlessVideo.Pipeline.Storage;

/// <summary>
/// The blob containers and tables the pipeline uses, created on first use. Two sets of table clients reach the same
/// tables: the worker's keep the SDK's patient default retries (an activity would rather wait out a storage blip than
/// fail), the query path's (<see cref="QueryVideoRows"/>, <see cref="QueryModelRows"/>) give up within
/// <see cref="PipelineOptions.ApiTimeout"/> so an HTTP caller hears 503 instead of waiting.
/// </summary>
public sealed class StorageClients
{
    private readonly object _gate = new();
    private readonly TableServiceClient _tables;
    private Task? _created;

    /// <param name="options">Where the storage account is.</param>
    /// <param name="telemetry">When given, every request is counted in <see cref="PipelineTelemetry.StorageRequestsCounter"/>.</param>
    public StorageClients(IOptions<PipelineOptions> options, PipelineTelemetry? telemetry = null)
    {
        var o = options.Value;
        var blobOptions = StorageRequestMeter.On(new BlobClientOptions(), telemetry, "blob");
        var tableOptions = StorageRequestMeter.On(new TableClientOptions(), telemetry, "table");
        var query = StorageRequestMeter.On(QueryOptions(o.ApiTimeout), telemetry, "table");
        BlobServiceClient blobs;
        TableServiceClient tables;
        TableServiceClient queryTables;
        if (!string.IsNullOrWhiteSpace(o.StorageConnectionString))
        {
            blobs = new BlobServiceClient(o.StorageConnectionString, blobOptions);
            tables = new TableServiceClient(o.StorageConnectionString, tableOptions);
            queryTables = new TableServiceClient(o.StorageConnectionString, query);
        }
        else if (!string.IsNullOrWhiteSpace(o.StorageAccountName))
        {
            // Shared-key access is off on the deployed account: a managed identity with data roles is the way in.
            var credential = Credential(o);
            var tableUri = new Uri($"https://{o.StorageAccountName}.table.core.windows.net");
            blobs = new BlobServiceClient(new Uri($"https://{o.StorageAccountName}.blob.core.windows.net"), credential, blobOptions);
            tables = new TableServiceClient(tableUri, credential, tableOptions);
            queryTables = new TableServiceClient(tableUri, credential, query);
        }
        else
        {
            throw new InvalidOperationException("Set Pipeline:StorageConnectionString or Pipeline:StorageAccountName.");
        }

        Videos = blobs.GetBlobContainerClient(o.VideosContainer);
        Artifacts = blobs.GetBlobContainerClient(o.ArtifactsContainer);
        Results = blobs.GetBlobContainerClient(o.ResultsContainer);
        _tables = tables;
        VideoRows = tables.GetTableClient(o.VideosTable);
        ModelRows = tables.GetTableClient(o.ModelResultsTable);
        Admission = tables.GetTableClient(o.AdmissionTable);
        VideoIndex = tables.GetTableClient(o.VideoIndexTable);
        QueryVideoRows = queryTables.GetTableClient(o.VideosTable);
        QueryVideoIndex = queryTables.GetTableClient(o.VideoIndexTable);
        QueryModelRows = queryTables.GetTableClient(o.ModelResultsTable);
    }

    public BlobContainerClient Videos { get; }

    public BlobContainerClient Artifacts { get; }

    /// <summary>What is kept of each video beside its rows (<see cref="PipelineOptions.ResultsContainer"/>).</summary>
    public BlobContainerClient Results { get; }

    public TableClient VideoRows { get; }

    public TableClient ModelRows { get; }

    /// <summary>The admission table: the videos holding a processing slot, and the queue of those waiting for one.</summary>
    public TableClient Admission { get; }

    /// <summary>Every video newest first (<see cref="VideoRow.AsIndexEntry"/>).</summary>
    public TableClient VideoIndex { get; }

    /// <summary>The index for HTTP reads, with the short budget of <see cref="QueryVideoRows"/>.</summary>
    public TableClient QueryVideoIndex { get; }

    /// <summary>The videos table for HTTP reads: one quick retry, each try cut at the API timeout.</summary>
    public TableClient QueryVideoRows { get; }

    /// <summary>The model results table for HTTP reads, with the same short budget as <see cref="QueryVideoRows"/>.</summary>
    public TableClient QueryModelRows { get; }

    /// <summary>Another table in the same account, reached the same way.</summary>
    public TableClient Table(string name) => _tables.GetTableClient(name);

    /// <summary>The identity used where no connection string is set (managed identity in Azure).</summary>
    public static DefaultAzureCredential Credential(PipelineOptions o) => new(new DefaultAzureCredentialOptions
    {
        ManagedIdentityClientId = string.IsNullOrWhiteSpace(o.ManagedIdentityClientId) ? null : o.ManagedIdentityClientId,
    });

    /// <summary>
    /// Creates the containers and tables if missing: once per process when it succeeds, again on the next call when it
    /// failed (a storage outage at start must not leave every later call failing with the same cached error).
    /// </summary>
    public Task EnsureCreatedAsync()
    {
        lock (_gate)
        {
            if (_created is null || _created.IsFaulted || _created.IsCanceled)
            {
                _created = CreateAllAsync();
            }

            return _created;
        }
    }

    /// <summary>
    /// Client options for the query path: one retry after 100 ms, and no try longer than <paramref name="apiTimeout"/>
    /// (the defaults, three retries with exponential back-off from 0.8 s and a 100 s network timeout, kept
    /// <c>GET /api/videos</c> waiting over 5 s when storage was down).
    /// </summary>
    private static TableClientOptions QueryOptions(TimeSpan apiTimeout)
    {
        var options = new TableClientOptions();
        options.Retry.Mode = RetryMode.Fixed;
        options.Retry.MaxRetries = 1;
        options.Retry.Delay = TimeSpan.FromMilliseconds(100);
        options.Retry.NetworkTimeout = apiTimeout;
        return options;
    }

    private async Task CreateAllAsync()
    {
        await Videos.CreateIfNotExistsAsync();
        await Artifacts.CreateIfNotExistsAsync();
        await Results.CreateIfNotExistsAsync();
        await VideoRows.CreateIfNotExistsAsync();
        await ModelRows.CreateIfNotExistsAsync();
        await Admission.CreateIfNotExistsAsync();
        if (await VideoIndex.CreateIfNotExistsAsync() is not null)
        {
            await IndexExistingRowsAsync();
        }
    }

    /// <summary>
    /// The index table was just created: copy in every video row written before it existed, so lists show them. An
    /// entry written meanwhile by the pipeline is newer and stays.
    /// </summary>
    private async Task IndexExistingRowsAsync()
    {
        await foreach (var row in VideoRows.QueryAsync<VideoRow>(TableClient.CreateQueryFilter($"RowKey eq {VideoRow.Key}")))
        {
            if (row.AsIndexEntry() is { } entry)
            {
                try
                {
                    await VideoIndex.AddEntityAsync(entry);
                }
                catch (Azure.RequestFailedException ex) when (ex.Status == 409)
                {
                }
            }
        }
    }
}
