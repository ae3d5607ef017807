using Azure.Monitor.OpenTelemetry.Exporter;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ServerlessVideo.Pipeline.Telemetry;

namespace ServerlessVideo.Host;

/// <summary>
/// Telemetry of the local host: the pipeline's spans and metrics (plus ASP.NET Core's for the HTTP API), exported
/// where configuration says, and nowhere by default.
/// </summary>
public static class HostTelemetry
{
    /// <summary>Standard OpenTelemetry variable: when set, every signal goes over OTLP (<c>OTEL_EXPORTER_OTLP_PROTOCOL</c> etc. apply).</summary>
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary><c>true</c>: spans and metrics are also written to the console (<c>Telemetry__Console=true</c>).</summary>
    public const string ConsoleSetting = "Telemetry:Console";

    /// <summary>When set (the GPU worker in Azure), spans and metrics also go to Application Insights.</summary>
    public const string ApplicationInsightsSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>Service name unless <c>OTEL_SERVICE_NAME</c> says otherwise.</summary>
    public const string ServiceName = "serverlessvideo-host";

    public static IServiceCollection AddHostTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var telemetry = services.AddVideoTelemetry()
            .WithTracing(t => t.AddSource("Microsoft.AspNetCore"))
            .WithMetrics(m => m.AddMeter("Microsoft.AspNetCore.Hosting"));
        if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
        {
            // Each process is its own worker (as in the durable settings): the instance id tells workers apart.
            telemetry.ConfigureResource(r => r.AddService(ServiceName, serviceInstanceId: $"{Environment.MachineName}-{Environment.ProcessId}"));
        }

        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointSetting]))
        {
            telemetry.UseOtlpExporter();
        }

        if (configuration.GetValue<bool>(ConsoleSetting))
        {
            telemetry.WithTracing(t => t.AddConsoleExporter()).WithMetrics(m => m.AddConsoleExporter());
        }

        if (!string.IsNullOrWhiteSpace(configuration[ApplicationInsightsSetting]))
        {
            telemetry.UseAzureMonitorExporter();
        }

        return services;
    }
}
