using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessVideo.Core;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Inference;
using ServerlessVideo.Media;
using ServerlessVideo.Onnx;
using ServerlessVideo.Pipeline.Messages;
using ServerlessVideo.Pipeline.Orchestration;
using ServerlessVideo.Pipeline.Storage;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Pipeline.Tests;

/// <summary>
/// The real orchestration and activities on the in-memory durable test host, against Azurite, ffmpeg and ONNX Runtime,
/// with containers and tables of its own.
/// </summary>
public sealed class PipelineHarness : IAsyncDisposable
{
    private readonly TempFolder _temp = new();
    private DurableTaskTestHost? _host;

    public PipelineOptions Options { get; } = UniqueStorage(new PipelineOptions { ClipsPerSegment = 2 });

    /// <summary><paramref name="options"/> on the shared Azurite, with containers and tables no other test uses.</summary>
    public static PipelineOptions UniqueStorage(PipelineOptions options)
    {
        options.StorageConnectionString = Azurite.ConnectionString;
        options.VideosContainer = TestNames.Unique("videos");
        options.ArtifactsContainer = TestNames.Unique("artifacts");
        options.ResultsContainer = TestNames.Unique("results");
        options.VideosTable = TestNames.Unique("videos");
        options.VideoIndexTable = TestNames.Unique("videoindex");
        options.ModelResultsTable = TestNames.Unique("models");
        options.AdmissionTable = TestNames.Unique("admission");
        return options;
    }

    public MediaOptions Media { get; } = new();

    public string ModelsPath => Path.Combine(_temp.Path, "models");

    public string Scratch => _temp.Path;

    public DurableTaskClient Client => _host!.Client;

    public BlobContainerClient Videos => new(Options.StorageConnectionString, Options.VideosContainer);

    public BlobContainerClient Artifacts => new(Options.StorageConnectionString, Options.ArtifactsContainer);

    public BlobContainerClient Results => new(Options.StorageConnectionString, Options.ResultsContainer);

    public TableClient VideoRows => new(Options.StorageConnectionString, Options.VideosTable);

    public TableClient ModelRows => new(Options.StorageConnectionString, Options.ModelResultsTable);

    /// <summary>Starts with the colour baseline, plus a second view of it (other rate and clip count) when asked.</summary>
    static PipelineHarness()
    {
        // The test host's gRPC sidecar logs every request through its own default host configuration.
        Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");
    }

    public static async Task<PipelineHarness> StartAsync(bool twoModels = false, Action<PipelineHarness>? configure = null)
    {
        var harness = new PipelineHarness();
        ColourMeanModel.WriteTo(Path.Combine(harness.ModelsPath, ColourMeanModel.Id));
        if (twoModels)
        {
            var manifest = ColourMeanModel.Manifest() with
            {
                Id = "colour-mean-slow",
                Sampling = new SamplingSpec(ColourMeanModel.ClipLength, Fps: 2, FrameInterval: null, NumClips: 5),
                ConsensusWeight = 0.5,
            };
            ColourMeanModel.WriteTo(Path.Combine(harness.ModelsPath, manifest.Id), manifest);
        }

        configure?.Invoke(harness);
        await harness.Videos.CreateIfNotExistsAsync();
        // The test host's own choice is a random port in 30000–40000, unchecked, which collides with the ephemeral
        // ports of other test processes under load: take one the OS reports free, and again should it be taken
        // before the sidecar binds it.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                harness._host = await DurableTaskTestHost.StartAsync(r => r.AddVideoTasks(), new DurableTaskTestHostOptions
                {
                    Port = Azurite.FreePort(),
                    LoggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning)),
                    ConfigureServices = services =>
                    {
                        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
                        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(harness.Options));
                        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(harness.Media));
                        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new InferenceOptions { ModelsPath = harness.ModelsPath }));
                        services.AddVideoPipeline();
                    },
                });
                break;
            }
            catch (IOException ex) when (attempt < 3 && ex.InnerException?.GetType().Name == "AddressInUseException")
            {
            }
        }

        return harness;
    }

    /// <summary>A service of the pipeline the activities run with (e.g. <see cref="Api.VideoApi"/>).</summary>
    public T Service<T>() where T : notnull => _host!.Services.GetRequiredService<T>();

    /// <summary>Uploads <paramref name="path"/> and returns the blob name and ETag.</summary>
    public async Task<(string Name, string ETag)> UploadAsync(string path, string? name = null)
    {
        name ??= Path.GetFileName(path);
        var response = await Videos.GetBlobClient(name).UploadAsync(path, overwrite: true);
        return (name, response.Value.ETag.ToString());
    }

    /// <summary>A 2 s green clip uploaded, with its Queued row as the starter writes it; the job carries the row's ETag.</summary>
    public async Task<VideoJob> QueuedJobAsync()
    {
        var (name, etag) = await UploadAsync(await TestVideos.ColourAsync(Scratch, "green", 160, 120, 25, 2));
        var job = new VideoJob(VideoIds.FromBlob(Options.VideosContainer, name, etag), Options.VideosContainer, name, etag.Trim('"'), DateTimeOffset.UtcNow);
        var inserted = await Service<ResultStore>().TryInsertAsync(VideoRow.Of(job, VideoStatuses.Queued), CancellationToken.None);
        return job with { RowETag = inserted?.ToString() };
    }

    /// <summary>Starts through the shared starter, as a host trigger would.</summary>
    public Task<string> StartAsync(string name, string etag) =>
        _host!.Services.GetRequiredService<VideoStarter>().StartAsync(Client, Options.VideosContainer, name, etag, DateTimeOffset.UtcNow, CancellationToken.None);

    /// <summary>
    /// The video's orchestration once it has ended: a video waiting in line has none until a slot is handed to it, so
    /// this waits for it to exist first.
    /// </summary>
    public async Task<OrchestrationMetadata> WaitForEndAsync(string id, CancellationToken cancellationToken)
    {
        while (await Client.GetInstanceAsync(id, getInputsAndOutputs: false, cancellationToken) is null)
        {
            await Task.Delay(50, cancellationToken);
        }

        return await Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cancellationToken);
    }

    public async Task<(string Id, VideoOutcome Outcome, OrchestrationMetadata Instance)> RunAsync(string path, TimeSpan? timeout = null)
    {
        var (name, etag) = await UploadAsync(path);
        var id = await StartAsync(name, etag);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        var instance = await WaitForEndAsync(id, cts.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        return (id, instance.ReadOutputAs<VideoOutcome>()!, instance);
    }

    public async Task<List<TableEntity>> RowsAsync(TableClient table, string videoId)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == videoId))
        {
            rows.Add(row);
        }

        return rows;
    }

    public async Task<int> ArtifactCountAsync(string videoId)
    {
        if (!await Artifacts.ExistsAsync())
        {
            return 0;
        }

        var count = 0;
        await foreach (var _ in Artifacts.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, videoId + "/", CancellationToken.None))
        {
            count++;
        }

        return count;
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        foreach (var c in new[] { Videos, Artifacts, Results })
        {
            await c.DeleteIfExistsAsync();
        }

        foreach (var t in new[] { VideoRows, ModelRows, new TableClient(Options.StorageConnectionString, Options.AdmissionTable) })
        {
            await t.DeleteAsync();
        }

        _temp.Dispose();
    }
}
