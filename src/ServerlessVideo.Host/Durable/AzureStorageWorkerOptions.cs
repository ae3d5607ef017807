using DurableTask.Core;
using Microsoft.DurableTask.Worker;

namespace ServerlessVideo.Host.Durable;

/// <summary>Worker options plus the DurableTask.Core orchestration service the worker runs on.</summary>
public sealed class AzureStorageWorkerOptions : DurableTaskWorkerOptions
{
    public IOrchestrationService? Service { get; set; }
}
