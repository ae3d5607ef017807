using Azure.Data.Tables;
using Azure.Storage.Blobs;
using ServerlessVideo.Core;
using ServerlessVideo.Onnx;
using ServerlessVideo.Testing;

namespace ServerlessVideo.EndToEnd.Tests;

/// <summary>Storage names, a models folder and settings for host processes that share one task hub.</summary>
public sealed class HostEnvironment : IAsyncDisposable
{
    private readonly TempFolder _temp = new();

    public HostEnvironment(Action<Dictionary<string, string>>? configure = null, int numClips = 3, string? connectionString = null)
    {
        ConnectionString = connectionString ?? Azurite.ConnectionString;
        var models = ModelsPath;
        var manifest = ColourMeanModel.Manifest() with
        {
            Sampling = ColourMeanModel.Manifest().Sampling with { NumClips = numClips },
        };
        ColourMeanModel.WriteTo(Path.Combine(models, ColourMeanModel.Id), manifest);

        Settings = new Dictionary<string, string>
        {
            ["Pipeline__StorageConnectionString"] = ConnectionString,
            ["Pipeline__VideosContainer"] = VideosContainer,
            ["Pipeline__ArtifactsContainer"] = TestNames.Unique("artifacts"),
            ["Pipeline__VideosTable"] = VideosTable,
            ["Pipeline__VideoIndexTable"] = TestNames.Unique("videoindex"),
            ["Pipeline__ResultsContainer"] = TestNames.Unique("results"),
            ["Pipeline__ModelResultsTable"] = ModelsTable,
            ["Pipeline__AdmissionTable"] = TestNames.Unique("admission"),
            ["Pipeline__WorkFolder"] = Path.Combine(_temp.Path, "work"),
            ["Host__TaskHub"] = TestNames.Unique("hub"),
            ["Host__ClaimsTable"] = TestNames.Unique("claims"),
            ["Host__WatchInterval"] = "00:00:00.500",
            ["Inference__ModelsPath"] = models,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        configure?.Invoke(Settings);
    }

    /// <summary>The storage every host of this environment uses: the shared Azurite unless the test brings its own.</summary>
    public string ConnectionString { get; }

    /// <summary>The models folder the hosts serve: the colour baseline, and whatever a test adds before starting a host.</summary>
    public string ModelsPath => Path.Combine(_temp.Path, "models");

    public string VideosContainer { get; } = TestNames.Unique("videos");

    public string VideosTable { get; } = TestNames.Unique("videos");

    public string ModelsTable { get; } = TestNames.Unique("models");

    public Dictionary<string, string> Settings { get; }

    public string Scratch => _temp.Path;

    public async Task<string> UploadAsync(string path, string? name = null)
    {
        var container = new BlobContainerClient(ConnectionString, VideosContainer);
        await container.CreateIfNotExistsAsync();
        name ??= Path.GetFileName(path);
        var uploaded = await container.GetBlobClient(name).UploadAsync(path, overwrite: true);
        return VideoIds.FromBlob(VideosContainer, name, uploaded.Value.ETag.ToString());
    }

    public async Task<int> RowCountAsync(string table, string videoId)
    {
        var count = 0;
        await foreach (var _ in new TableClient(ConnectionString, table).QueryAsync<TableEntity>(e => e.PartitionKey == videoId))
        {
            count++;
        }

        return count;
    }

    public async ValueTask DisposeAsync()
    {
        await new BlobContainerClient(ConnectionString, VideosContainer).DeleteIfExistsAsync();
        _temp.Dispose();
    }
}
