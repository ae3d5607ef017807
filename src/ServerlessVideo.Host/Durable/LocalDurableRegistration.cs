using Azure.Core;
using Azure.Storage.Queues;
using DurableTask.AzureStorage;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Options;
using ServerlessVideo.Pipeline;
using ServerlessVideo.Pipeline.Storage;

namespace ServerlessVideo.Host.Durable;

/// <summary>Registers the Azure Storage durable backend, the worker running the pipeline's tasks, and the client.</summary>
public static class LocalDurableRegistration
{
    public static IServiceCollection AddLocalDurableTask(this IServiceCollection services)
    {
        // One service object is both the worker's backend and the client's.
        services.AddSingleton(sp =>
        {
            var host = sp.GetRequiredService<IOptions<LocalHostOptions>>().Value;
            var pipeline = sp.GetRequiredService<IOptions<PipelineOptions>>().Value;
            return new AzureStorageOrchestrationService(Settings(host, pipeline, sp.GetRequiredService<ILoggerFactory>()));
        });

        services.AddDurableTaskWorker(b =>
        {
            b.AddTasks(r => r.AddVideoTasks());
            b.UseBuildTarget<AzureStorageDurableTaskWorker, AzureStorageWorkerOptions>();
        });
        services.AddOptions<AzureStorageWorkerOptions>(Options.DefaultName)
            .Configure<IServiceProvider>((o, sp) => o.Service = new FailureBackoffOrchestrationService(
                sp.GetRequiredService<AzureStorageOrchestrationService>(),
                sp.GetRequiredService<IOptions<LocalHostOptions>>().Value.FailureBackoff));

        services.AddDurableTaskClient(b => b.UseBuildTarget<AzureStorageDurableTaskClient, AzureStorageClientOptions>());
        services.AddOptions<AzureStorageClientOptions>(Options.DefaultName)
            .Configure<IServiceProvider>((o, sp) => o.Service = sp.GetRequiredService<AzureStorageOrchestrationService>());
        return services;
    }

    /// <summary>
    /// Backend settings. Visibility timeouts and lease intervals follow <see cref="LocalHostOptions.RecoveryTimeout"/>,
    /// which bounds how long a killed worker's work stays hidden before another worker re-runs it.
    /// </summary>
    public static AzureStorageOrchestrationServiceSettings Settings(LocalHostOptions host, PipelineOptions storage, ILoggerFactory loggerFactory)
    {
        var recovery = host.RecoveryTimeout;
        return new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = host.TaskHub,
            StorageAccountClientProvider = ClientProvider(storage, new QueuePollGate(host.MaxPollingInterval, TimeProvider.System)),
            LoggerFactory = loggerFactory,
            // Each process is its own worker, so a restarted process takes over leases like a new node would.
            WorkerId = $"{Environment.MachineName}-{Environment.ProcessId}",
            PartitionCount = host.Partitions,
            ControlQueueVisibilityTimeout = recovery,
            WorkItemQueueVisibilityTimeout = recovery,
            LeaseInterval = recovery,
            LeaseRenewInterval = recovery / 3,
            LeaseAcquireInterval = recovery / 3,
            MaxQueuePollingInterval = host.MaxPollingInterval,
            UseAppLease = false,
            ThrowExceptionOnInvalidDedupeStatus = true,
            // The client queues a start message before it writes the instance's row. A worker that reads the message in
            // between (this process reads its control queue again at once after every message, so in a batch it does)
            // sets it aside for 2 s (then 4, 8 …), and a wake-up that reaches the instance meanwhile is discarded as
            // sent to no such instance: a video handed a slot then holds it unstarted until the admission watch wakes
            // it again, 20-35 s later. The de-duplication only guards against a start message left behind by a client
            // that failed after queueing it and then retried; such a video runs twice over its own rows, with the same
            // results. Off, a started video also costs one instance read fewer.
            DisableExecutionStartedDeduplication = true,
            MaxConcurrentTaskActivityWorkItems = host.MaxConcurrentActivities,
            MaxConcurrentTaskOrchestrationWorkItems = host.MaxConcurrentOrchestrations,
            ExtendedSessionsEnabled = host.ExtendedSessionIdleTimeout > TimeSpan.Zero,
            ExtendedSessionIdleTimeout = host.ExtendedSessionIdleTimeout > TimeSpan.Zero ? host.ExtendedSessionIdleTimeout : TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>The backend's storage clients; its queue client polls through <paramref name="gate"/>.</summary>
    private static StorageAccountClientProvider ClientProvider(PipelineOptions storage, QueuePollGate gate)
    {
        var queueOptions = new QueueClientOptions();
        queueOptions.AddPolicy(gate, HttpPipelinePosition.PerCall);
        if (!string.IsNullOrWhiteSpace(storage.StorageConnectionString))
        {
            var connection = storage.StorageConnectionString;
            return new StorageAccountClientProvider(
                StorageServiceClientProvider.ForBlob(connection),
                StorageServiceClientProvider.ForQueue(connection, queueOptions),
                StorageServiceClientProvider.ForTable(connection));
        }

        var credential = StorageClients.Credential(storage);
        return new StorageAccountClientProvider(
            StorageServiceClientProvider.ForBlob(storage.StorageAccountName, credential),
            StorageServiceClientProvider.ForQueue(storage.StorageAccountName, credential, queueOptions),
            StorageServiceClientProvider.ForTable(storage.StorageAccountName, credential));
    }
}
