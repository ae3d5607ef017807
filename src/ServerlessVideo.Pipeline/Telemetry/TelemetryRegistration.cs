using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ServerlessVideo.Pipeline.Telemetry;

/// <summary>OpenTelemetry composition shared by the hosts: what to listen to. Each host adds its exporters.</summary>
public static class TelemetryRegistration
{
    /// <summary>
    /// Registers the OpenTelemetry SDK listening to the pipeline's <see cref="PipelineTelemetry.SourceName"/> source and
    /// <see cref="PipelineTelemetry.MeterName"/> meter. With no exporter added the data is collected and dropped.
    /// </summary>
    public static IOpenTelemetryBuilder AddVideoTelemetry(this IServiceCollection services)
    {
        services.TryAddSingleton<PipelineTelemetry>();
        return services.AddOpenTelemetry()
            .WithTracing(t => t.AddSource(PipelineTelemetry.SourceName))
            .WithMetrics(m => m.AddMeter(PipelineTelemetry.MeterName));
    }
}
