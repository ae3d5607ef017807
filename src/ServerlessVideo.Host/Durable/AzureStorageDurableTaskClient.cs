using System.Globalization;
using DurableTask.Core;
using DurableTask.Core.History;
using DurableTask.Core.Query;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Dt = DurableTask.Core;
using PurgeResult = Microsoft.DurableTask.Client.PurgeResult;

namespace ServerlessVideo.Host.Durable;

/// <summary>
/// The Microsoft.DurableTask client API over DurableTask.Core's Azure Storage client, so host code is written against
/// the same <see cref="DurableTaskClient"/> as a Functions app's <c>[DurableClient]</c>.
/// </summary>
public sealed class AzureStorageDurableTaskClient : DurableTaskClient
{
    /// <summary>Starting over an instance in one of these states throws "already exists"; finished ones would be replaced.</summary>
    private static readonly Dt.OrchestrationStatus[] DedupeStatuses =
        [Dt.OrchestrationStatus.Running, Dt.OrchestrationStatus.Pending, Dt.OrchestrationStatus.Suspended];

    private readonly AzureStorageClientOptions _options;

    public AzureStorageDurableTaskClient(string name, IOptionsMonitor<AzureStorageClientOptions> options)
        : base(name)
    {
        _options = options.Get(name);
        _ = _options.Service ?? throw new InvalidOperationException("AzureStorageClientOptions.Service is not set.");
    }

    private IOrchestrationServiceClient Service => _options.Service!;

    private DataConverter Converter => _options.DataConverter;

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(
        TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        var instance = new OrchestrationInstance
        {
            InstanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N"),
            ExecutionId = Guid.NewGuid().ToString("N"),
        };
        var tags = options?.Tags?.ToDictionary(kv => kv.Key, kv => kv.Value) ?? [];
        tags[OrchestrationTags.RequestTime] = DateTimeOffset.UtcNow.ToString(CultureInfo.InvariantCulture);
        await Service.CreateTaskOrchestrationAsync(new TaskMessage
        {
            OrchestrationInstance = instance,
            Event = new ExecutionStartedEvent(-1, Converter.Serialize(input))
            {
                Name = orchestratorName.Name,
                Version = options?.Version ?? string.Empty,
                OrchestrationInstance = instance,
                ScheduledStartTime = options?.StartAt?.UtcDateTime,
                Tags = tags,
            },
        }, DedupeStatuses);
        return instance.InstanceId;
    }

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) =>
        SendAsync(instanceId, new EventRaisedEvent(-1, Converter.Serialize(eventPayload)) { Name = eventName });

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        SendAsync(instanceId, new ExecutionSuspendedEvent(-1, reason));

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        SendAsync(instanceId, new ExecutionResumedEvent(-1, reason));

    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default) =>
        Service.ForceTerminateTaskOrchestrationAsync(instanceId, Converter.Serialize(options?.Output));

    public override async Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        var states = await Service.GetOrchestrationStateAsync(instanceId, allExecutions: false);
        return states is { Count: > 0 } && states[0] is { } s ? ToMetadata(s, getInputsAndOutputs) : null;
    }

    public override async Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        while (true)
        {
            var m = await GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation);
            if (m is not null && m.RuntimeStatus != OrchestrationRuntimeStatus.Pending)
            {
                return m;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellation);
        }
    }

    public override async Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        while (true)
        {
            var m = await GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation);
            if (m is { IsCompleted: true })
            {
                return m;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellation);
        }
    }

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(Microsoft.DurableTask.Client.OrchestrationQuery? filter = null)
    {
        var query = Service as IOrchestrationServiceQueryClient
            ?? throw new NotSupportedException("The orchestration service cannot be queried.");
        return Pageable.Create(async (continuation, pageSize, cancellation) =>
        {
            var q = new Dt.Query.OrchestrationQuery
            {
                RuntimeStatus = filter?.Statuses?.Select(RuntimeStatuses.ToCore).ToList(),
                CreatedTimeFrom = filter?.CreatedFrom?.UtcDateTime,
                CreatedTimeTo = filter?.CreatedTo?.UtcDateTime,
                PageSize = pageSize ?? filter?.PageSize ?? Microsoft.DurableTask.Client.OrchestrationQuery.DefaultPageSize,
                ContinuationToken = continuation ?? filter?.ContinuationToken,
                InstanceIdPrefix = filter?.InstanceIdPrefix,
                FetchInputsAndOutputs = filter?.FetchInputsAndOutputs ?? false,
            };
            var result = await query.GetOrchestrationWithQueryAsync(q, cancellation);
            var items = result.OrchestrationState.Select(s => ToMetadata(s, q.FetchInputsAndOutputs)).ToList();
            return new Page<OrchestrationMetadata>(items, result.ContinuationToken);
        });
    }

    public override async Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        var m = await GetInstancesAsync(instanceId, false, cancellation);
        if (m is null)
        {
            return new PurgeResult(0);
        }

        if (!m.IsCompleted)
        {
            throw new InvalidOperationException($"Only finished instances can be purged; '{instanceId}' is {m.RuntimeStatus}.");
        }

        var r = await PurgeClient.PurgeInstanceStateAsync(instanceId);
        return new PurgeResult(r.DeletedInstanceCount);
    }

    public override async Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        var r = await PurgeClient.PurgeInstanceStateAsync(new PurgeInstanceFilter(
            (filter.CreatedFrom ?? default).UtcDateTime, filter.CreatedTo?.UtcDateTime, filter.Statuses?.Select(RuntimeStatuses.ToCore)));
        return new PurgeResult(r.DeletedInstanceCount);
    }

    private IOrchestrationServicePurgeClient PurgeClient => Service as IOrchestrationServicePurgeClient
        ?? throw new NotSupportedException("The orchestration service cannot purge.");

    private Task SendAsync(string instanceId, HistoryEvent e) =>
        Service.SendTaskOrchestrationMessageAsync(new TaskMessage { OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId }, Event = e });

    private OrchestrationMetadata ToMetadata(Dt.OrchestrationState s, bool withPayloads)
    {
        var status = RuntimeStatuses.FromCore(s.OrchestrationStatus);
        var failure = ToDetails(s.FailureDetails);
        var output = s.Output;
        if (status == OrchestrationRuntimeStatus.Failed)
        {
            // The Azure Storage backend keeps a failed instance's details only as "ErrorType: message" in its output.
            failure ??= ParseFailure(output);
            output = null;
        }

        return new OrchestrationMetadata(s.Name, s.OrchestrationInstance.InstanceId)
        {
            DataConverter = withPayloads ? Converter : null,
            RuntimeStatus = status,
            CreatedAt = s.CreatedTime,
            LastUpdatedAt = s.LastUpdatedTime,
            SerializedInput = withPayloads ? s.Input : null,
            SerializedOutput = withPayloads ? output : null,
            SerializedCustomStatus = withPayloads ? s.Status : null,
            FailureDetails = failure,
        };
    }

    private static TaskFailureDetails? ParseFailure(string? output)
    {
        if (string.IsNullOrEmpty(output))
        {
            return null;
        }

        var colon = output.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0
            ? new TaskFailureDetails(output[..colon], output[(colon + 2)..], null, null, null)
            : new TaskFailureDetails("Unknown", output, null, null, null);
    }

    private static TaskFailureDetails? ToDetails(Dt.FailureDetails? d) =>
        d is null ? null : new TaskFailureDetails(d.ErrorType, d.ErrorMessage, d.StackTrace, ToDetails(d.InnerFailure), d.Properties);
}
