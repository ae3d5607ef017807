using DurableTask.Core;
using Microsoft.DurableTask.Client;

namespace ServerlessVideo.Host.Durable;

/// <summary>Client options plus the DurableTask.Core client it talks through.</summary>
public sealed class AzureStorageClientOptions : DurableTaskClientOptions
{
    public IOrchestrationServiceClient? Service { get; set; }
}
