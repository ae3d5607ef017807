using Microsoft.Extensions.Options;
using ServerlessVideo.Host.Durable;
using ServerlessVideo.Host.Http;
using ServerlessVideo.Host.Watching;
using ServerlessVideo.Inference;
using ServerlessVideo.Pipeline;

namespace ServerlessVideo.Host;

/// <summary>Builds the local host: options, the pipeline, the durable worker and client, the watcher and the HTTP API.</summary>
public static class HostComposition
{
    /// <summary>Default address of the HTTP API; loopback only.</summary>
    public const string DefaultUrl = "http://127.0.0.1:7071";

    public static WebApplication Build(string[] args, Action<IConfigurationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        configure?.Invoke(builder.Configuration);
        builder.WebHost.UseUrls(builder.Configuration["urls"] ?? DefaultUrl);
        builder.Logging.AddFilter("DurableTask", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.DurableTask", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Azure", LogLevel.Warning);

        var services = builder.Services;
        services.AddOptions<LocalHostOptions>().Bind(builder.Configuration.GetSection(LocalHostOptions.Section));
        services.AddOptions<HostOptions>().Configure<IOptions<LocalHostOptions>>((host, local) => host.ShutdownTimeout = local.Value.ShutdownTimeout);
        services.AddVideoPipeline(builder.Configuration);
        services.AddHostTelemetry(builder.Configuration);
        services.AddLocalDurableTask();
        if (builder.Configuration.GetValue(LocalHostOptions.Section + ":Watch", true))
        {
            services.AddHostedService<BlobWatcher>();
            services.AddHostedService<QueuedSweeper>();
            services.AddHostedService<Durable.HistoryPurger>();
        }

        var app = builder.Build();
        app.MapVideoApi();
        app.MapPortal();
        return app;
    }

    /// <summary>
    /// Opens every model and checks it against its ONNX graph before any video arrives. A model that cannot load is
    /// logged at Error and reported by <c>/api/health</c>; the host serves with the others.
    /// </summary>
    public static void WarmUp(WebApplication app) => app.Services.GetRequiredService<ModelRegistry>().WarmUp();
}
