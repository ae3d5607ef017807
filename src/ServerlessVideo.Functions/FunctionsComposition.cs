using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessVideo.Inference;
using ServerlessVideo.Pipeline;
using ServerlessVideo.Pipeline.Telemetry;

namespace ServerlessVideo.Functions;

/// <summary>Composition of the Functions app: the same options and pipeline services as the local host.</summary>
public static class FunctionsComposition
{
    /// <summary>App setting the Bicep passes (and the Functions host reads): where Application Insights takes telemetry.</summary>
    public const string ApplicationInsightsSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    public static FunctionsApplicationBuilder AddServerlessVideo(this FunctionsApplicationBuilder builder)
    {
        // Relative model folders are relative to the deployed app, where the build copies models/.
        builder.Services.AddVideoPipeline(builder.Configuration)
            .PostConfigure<InferenceOptions>(o => o.ModelsPath = Path.GetFullPath(o.ModelsPath, AppContext.BaseDirectory));
        return builder.AddServerlessVideoTelemetry();
    }

    /// <summary>
    /// The pipeline's spans and metrics plus the worker's own invocation spans and Azure resource attributes
    /// (<c>UseFunctionsWorkerDefaults</c>), exported to Application Insights when its connection string is set
    /// (without it, e.g. in tests, nothing is exported).
    /// </summary>
    public static FunctionsApplicationBuilder AddServerlessVideoTelemetry(this FunctionsApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var telemetry = builder.Services.AddVideoTelemetry().UseFunctionsWorkerDefaults();
        if (!string.IsNullOrWhiteSpace(builder.Configuration[ApplicationInsightsSetting]))
        {
            telemetry.UseAzureMonitorExporter();
        }

        return builder;
    }
}
