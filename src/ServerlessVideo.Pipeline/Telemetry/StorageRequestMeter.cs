using System.Diagnostics.Metrics;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ServerlessVideo.Pipeline.Telemetry;

/// <summary>
/// Counts every try of every request a storage client sends (<see cref="PipelineTelemetry.StorageRequestsCounter"/>):
/// what a video costs in storage round trips shows in the metrics, not only in a storage log.
/// </summary>
public sealed class StorageRequestMeter(Counter<long> counter, string service) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        counter.Add(1, new KeyValuePair<string, object?>(TelemetryTags.StorageService, service), new KeyValuePair<string, object?>(TelemetryTags.Method, message.Request.Method.Method));
    }

    /// <summary>Adds a meter for <paramref name="service"/> to <paramref name="options"/>, per try; none without telemetry.</summary>
    public static T On<T>(T options, PipelineTelemetry? telemetry, string service) where T : ClientOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        if (telemetry is not null)
        {
            options.AddPolicy(new StorageRequestMeter(telemetry.StorageRequests, service), HttpPipelinePosition.PerRetry);
        }

        return options;
    }
}
