using System.Diagnostics;
using System.Net;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ServerlessVideo.Core;
using ServerlessVideo.Functions;
using ServerlessVideo.Host;
using ServerlessVideo.Pipeline;
using ServerlessVideo.Pipeline.Messages;
using ServerlessVideo.Pipeline.Telemetry;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Deployment.Tests;

/// <summary>
/// What each host's composition does with the pipeline's telemetry: the Functions app (through its own
/// [ActivityTrigger] wrappers) and the local host's exporters. Runs alone: one test swaps the process's console.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryCompositionTests
{
    private const string FakeConnectionString = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/";

    [Fact]
    public async Task The_functions_activities_emit_the_video_trace_and_counts_through_the_apps_own_providers()
    {
        var table = TestNames.Unique("videos");
        var artifacts = TestNames.Unique("artifacts");
        var builder = FunctionsApplication.CreateBuilder(
        [
            $"--Pipeline:StorageConnectionString={Azurite.ConnectionString}",
            $"--Pipeline:VideosTable={table}",
            $"--Pipeline:VideoIndexTable={TestNames.Unique("videoindex")}",
            $"--Pipeline:ModelResultsTable={TestNames.Unique("models")}",
            $"--Pipeline:AdmissionTable={TestNames.Unique("admission")}",
            $"--Pipeline:ArtifactsContainer={artifacts}",
        ]);
        builder.AddServerlessVideo();
        // Only exporters are added here: which sources and meters are listened to is the app's composition.
        var spans = new List<Activity>();
        var metrics = new List<MetricSnapshot>();
        builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans));
        builder.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(metrics));
        using var app = builder.Build();
        var tracing = app.Services.GetRequiredService<TracerProvider>();
        var metering = app.Services.GetRequiredService<MeterProvider>();

        try
        {
            var functions = ActivatorUtilities.CreateInstance<VideoActivityFunctions>(app.Services);
            var videoId = VideoIds.FromBlob("videos", "telemetry.mp4", "0x1");
            var job = new VideoJob(videoId, "videos", "telemetry.mp4", "0x1", DateTimeOffset.UtcNow);
            var started = DateTimeOffset.UtcNow.AddSeconds(-3);
            var finished = await functions.RecordFailureAsync(new FailureRequest(
                job, new VideoFailure(ReasonCodes.StillImage, "A picture."), null, new Dictionary<string, double> { ["probe"] = 12.5 }, started, started.AddSeconds(2)),
                client: null!); // Nobody waits for a slot, so there is no video to start and the client goes unused.
            Assert.Equal(VideoStatuses.Failed, finished.Outcome.Status);
            Assert.Empty(finished.Admitted);
            // The worker's own invocation spans, which UseFunctionsWorkerDefaults listens to.
            using (var worker = new ActivitySource("Microsoft.Azure.Functions.Worker"))
            {
                worker.StartActivity("Invoke")?.Dispose();
            }

            tracing.ForceFlush();
            metering.ForceFlush();

            var trace = PipelineTelemetry.TraceIdOf(videoId);
            var mine = spans.Where(s => s.TraceId == trace).Select(s => s.DisplayName).Order().ToList();
            Assert.Equal([TaskNames.VideoOrchestration, TaskNames.RecordFailure], mine);
            Assert.Contains(spans, s => s.Source.Name == "Microsoft.Azure.Functions.Worker");

            var counted = metrics.Last(m => m.Name == PipelineTelemetry.VideosCounter).MetricPoints;
            var point = Assert.Single(counted, p => Tags(p).Contains(new(TelemetryTags.ReasonCode, ReasonCodes.StillImage)));
            Assert.Equal(1, point.GetSumLong());
            Assert.Contains(new KeyValuePair<string, object?>(TelemetryTags.Status, VideoStatuses.Failed), Tags(point));
        }
        finally
        {
            await new TableClient(Azurite.ConnectionString, table).DeleteAsync();
            await new BlobContainerClient(Azurite.ConnectionString, artifacts).DeleteIfExistsAsync();
        }
    }

    [Fact]
    public void The_functions_app_exports_to_application_insights_exactly_when_its_connection_string_is_set()
    {
        static bool AzureMonitor(ServiceDescriptor d) =>
            new[] { d.ServiceType, d.ImplementationType }.Concat(d.ServiceType.GenericTypeArguments)
                .Any(t => t?.Namespace?.StartsWith("Azure.Monitor.OpenTelemetry", StringComparison.Ordinal) == true);

        var with = FunctionsApplication.CreateBuilder([$"--{FunctionsComposition.ApplicationInsightsSetting}={FakeConnectionString}"]).AddServerlessVideo();
        var without = FunctionsApplication.CreateBuilder([]).AddServerlessVideo();
        Assert.Contains(with.Services, AzureMonitor);
        Assert.DoesNotContain(without.Services, AzureMonitor);
    }

    [Fact]
    public async Task The_local_host_sends_spans_over_otlp_when_an_endpoint_is_configured()
    {
        var port = Azurite.FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var received = ReceiveAsync(listener);

        using var host = LocalHost(
            $"--{HostTelemetry.OtlpEndpointSetting}=http://127.0.0.1:{port}",
            "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf");
        var videoId = VideoIds.FromBlob("videos", "otlp.mp4", "0x1");
        var tracing = host.Services.GetRequiredService<TracerProvider>();
        await host.Services.GetRequiredService<PipelineTelemetry>().RunAsync(TaskNames.PrepareVideo, videoId, _ => Task.FromResult(0));
        tracing.ForceFlush();

        var (path, body) = await received.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("/v1/traces", path);
        // Protobuf keeps strings as UTF-8: the span name, the video id and the trace id's bytes are in the request.
        Assert.Contains(TaskNames.PrepareVideo, body, StringComparison.Ordinal);
        Assert.Contains(videoId, body, StringComparison.Ordinal);
        Assert.Contains(HostTelemetry.ServiceName, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_local_host_writes_spans_to_the_console_when_asked_and_not_otherwise()
    {
        var videoId = VideoIds.FromBlob("videos", "console.mp4", "0x1");
        Assert.Contains(videoId, await ConsoleOfAsync(videoId, $"--{HostTelemetry.ConsoleSetting}=true"), StringComparison.Ordinal);
        Assert.DoesNotContain(videoId, await ConsoleOfAsync(videoId), StringComparison.Ordinal);
    }

    private static async Task<string> ConsoleOfAsync(string videoId, params string[] args)
    {
        var original = Console.Out;
        using var captured = new StringWriter();
        Console.SetOut(TextWriter.Synchronized(captured));
        try
        {
            using var host = LocalHost(args);
            var tracing = host.Services.GetRequiredService<TracerProvider>();
            await host.Services.GetRequiredService<PipelineTelemetry>().RunAsync(TaskNames.ExtractFrames, videoId, _ => Task.FromResult(0));
            tracing.ForceFlush();
        }
        finally
        {
            Console.SetOut(original);
        }

        return captured.ToString();
    }

    /// <summary>
    /// The local host's telemetry composition on a plain host (tracing needs no storage). Resolve the providers before
    /// emitting: they start listening when built, as the host's start does.
    /// </summary>
    private static IHost LocalHost(params string[] args)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(args);
        builder.Services.AddHostTelemetry(builder.Configuration);
        return builder.Build();
    }

    /// <summary>Answers OTLP/HTTP requests with 200 until the first one carrying traces (logs or metrics may come first).</summary>
    private static async Task<(string Path, string Body)> ReceiveAsync(HttpListener listener)
    {
        while (true)
        {
            var context = await listener.GetContextAsync();
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            context.Response.StatusCode = 200;
            context.Response.Close();
            if (context.Request.Url!.AbsolutePath != "/v1/logs" && context.Request.Url.AbsolutePath != "/v1/metrics")
            {
                return (context.Request.Url.AbsolutePath, Encoding.UTF8.GetString(body.ToArray()));
            }
        }
    }

    private static List<KeyValuePair<string, object?>> Tags(MetricPoint point)
    {
        var tags = new List<KeyValuePair<string, object?>>();
        foreach (var tag in point.Tags)
        {
            tags.Add(tag);
        }

        return tags;
    }
}
