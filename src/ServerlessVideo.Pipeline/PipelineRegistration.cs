using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessVideo.Inference;
using ServerlessVideo.Media;
using ServerlessVideo.Pipeline.Activities;
using ServerlessVideo.Pipeline.Api;
using ServerlessVideo.Pipeline.Messages;
using ServerlessVideo.Pipeline.Orchestration;
using ServerlessVideo.Pipeline.Storage;
using ServerlessVideo.Pipeline.Telemetry;

namespace ServerlessVideo.Pipeline;

/// <summary>Composition of the pipeline, shared by every host.</summary>
public static class PipelineRegistration
{
    /// <summary>
    /// Binds the sections <c>Pipeline</c>, <c>Media</c> and <c>Inference</c> (validated at start) and registers the
    /// pipeline's services: what every host calls.
    /// </summary>
    public static IServiceCollection AddVideoPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PipelineOptions>().Bind(configuration.GetSection(PipelineOptions.Section))
            .Validate(o => o.HasStorage, "Set Pipeline:StorageConnectionString or Pipeline:StorageAccountName.")
            .ValidateOnStart();
        services.AddOptions<MediaOptions>().Bind(configuration.GetSection("Media"))
            .PostConfigure<Microsoft.Extensions.Options.IOptions<InferenceOptions>>((media, inference) =>
            {
                // The GPU worker decodes on the GPU too unless told otherwise.
                if (string.IsNullOrWhiteSpace(media.HardwareDecoding))
                {
                    media.HardwareDecoding = inference.Value.ExecutionProvider;
                }
            });
        services.AddOptions<InferenceOptions>().Bind(configuration.GetSection("Inference"));
        return services.AddVideoPipeline();
    }

    /// <summary>
    /// Registers storage, media, inference, telemetry and activity services; options come from the caller. Spans and
    /// metrics are emitted whether or not anything listens; <see cref="TelemetryRegistration.AddVideoTelemetry"/> listens.
    /// </summary>
    public static IServiceCollection AddVideoPipeline(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<MediaOptions>>().Value);
        services.TryAddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<InferenceOptions>>().Value);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StorageClients>();
        services.TryAddSingleton<ArtifactStore>();
        services.TryAddSingleton<ResultBlobStore>();
        services.TryAddSingleton<ResultStore>();
        services.TryAddSingleton<ResultQueries>();
        services.TryAddSingleton<VideoFileCache>();
        services.TryAddSingleton<VideoProber>();
        services.TryAddSingleton<FrameSource>();
        services.TryAddSingleton<ShotDetector>();
        services.TryAddSingleton<PictureMaker>();
        services.TryAddSingleton<ModelRunner>();
        services.TryAddSingleton<AdmissionStore>();
        services.TryAddSingleton<ModelRegistry>();
        services.TryAddSingleton<PipelineTelemetry>();
        services.TryAddSingleton<VideoActivities>();
        services.TryAddSingleton<VideoStarter>();
        services.TryAddSingleton<VideoMaintenance>();
        services.TryAddSingleton<VideoApi>();
        return services;
    }

    /// <summary>
    /// Registers the orchestrator and every activity under <see cref="TaskNames"/>. Activities resolve
    /// <see cref="VideoActivities"/> from the worker's service provider when they run. The local host and the
    /// in-memory test host use this registry; the Functions app binds the same names with [Function] wrappers.
    /// </summary>
    public static DurableTaskRegistry AddVideoTasks(this DurableTaskRegistry registry)
    {
        registry.AddOrchestrator(TaskNames.VideoOrchestration, () => new VideoOrchestrator());
        registry.AddOrchestrator(TaskNames.AdmissionWatch, () => new AdmissionWatch());
        return registry
            .Add<PrepareRequest, PrepareOutcome>(TaskNames.PrepareVideo, (a, r, c) => a.PrepareAsync(r, c))
            .Add<ExtractRequest, ExtractOutcome>(TaskNames.ExtractFrames, (a, r, c) => a.ExtractAsync(r, c))
            .Add<InferRequest, IReadOnlyList<InferResult>>(TaskNames.RunInference, (a, r, _) => a.InferAsync(r))
            .Add<WriteRequest, FinishOutcome>(TaskNames.WriteResults, (a, r, c) => a.WriteResultsAsync(r, c))
            .Add<FailureRequest, FinishOutcome>(TaskNames.RecordFailure, (a, r, c) => a.RecordFailureAsync(r, c))
            .Add<SweepRequest, SweepOutcome>(TaskNames.SweepAdmission, (a, r, c) => a.SweepAdmissionAsync(r, c));
    }

    /// <summary>Activities that hand a slot on start the videos they hand it to: they get the worker's durable client.</summary>
    private static DurableTaskRegistry Add<TInput, TOutput>(
        this DurableTaskRegistry registry, string name, Func<VideoActivities, TInput, DurableTaskClient, Task<TOutput>> run) =>
        registry.AddActivity(name, sp => new VideoActivity<TInput, TOutput>(
            sp.GetRequiredService<VideoActivities>(), sp.GetRequiredService<PipelineTelemetry>(), sp.GetRequiredService<DurableTaskClient>(), run));
}
