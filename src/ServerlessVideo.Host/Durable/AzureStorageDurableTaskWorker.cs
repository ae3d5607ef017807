using DurableTask.Core;
using DurableTask.Core.Middleware;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Hosting;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Options;
using CoreActivity = DurableTask.Core.TaskActivity;
using CoreOrchestration = DurableTask.Core.TaskOrchestration;

namespace ServerlessVideo.Host.Durable;

/// <summary>
/// Runs the Microsoft.DurableTask orchestrators and activities of the registry on DurableTask.Core's
/// <see cref="TaskHubWorker"/> over the Azure Storage backend, through the public <see cref="DurableTaskShimFactory"/>:
/// the same task code the Functions app runs, without the Functions host.
/// </summary>
public sealed partial class AzureStorageDurableTaskWorker : DurableTaskWorker
{
    private readonly AzureStorageWorkerOptions _options;
    private readonly IServiceProvider _services;
    private readonly DurableTaskShimFactory _shims;
    private readonly TaskHubWorker _worker;
    private readonly ILogger _logger;

    public AzureStorageDurableTaskWorker(
        string? name,
        IDurableTaskFactory factory,
        IOptionsMonitor<AzureStorageWorkerOptions> options,
        IServiceProvider services,
        ILoggerFactory loggerFactory)
        : base(name, factory)
    {
        _options = options.Get(Name);
        _services = services;
        _logger = loggerFactory.CreateLogger<AzureStorageDurableTaskWorker>();
        _shims = new DurableTaskShimFactory(_options, loggerFactory);
        var service = _options.Service ?? throw new InvalidOperationException("AzureStorageWorkerOptions.Service is not set.");
        _worker = new TaskHubWorker(service, new OrchestrationLookup(), new ActivityLookup(), loggerFactory)
        {
            // The shims read TaskFailedException.FailureDetails, which only this mode carries.
            ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails,
        };

        // Activities are created per work item inside a DI scope that lives as long as the execution. An orchestrator
        // lives as long as its orchestration object, which an extended session keeps across episodes: it comes from
        // the root provider (orchestrators are deterministic code and take no scoped services).
        _worker.AddOrchestrationDispatcherMiddleware(BindOrchestrationAsync);
        _worker.AddActivityDispatcherMiddleware(BindActivityAsync);
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await _options.Service!.CreateIfNotExistsAsync();
        await _worker.StartAsync();
        LogStarted(_logger);
    }

    /// <summary>How long a forced stop may take before the worker is left to the process's exit.</summary>
    private static readonly TimeSpan ForcedStopWait = TimeSpan.FromSeconds(2);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Graceful first: in-flight work items finish, then the partition leases are released for other workers. When
        // the host's shutdown time runs out (or storage is gone and the release cannot succeed) stop by force: leases
        // expire and unfinished work items reappear on the task hub after the recovery timeout, so nothing is lost.
        var graceful = _worker.StopAsync(isForced: false);
        if (await Task.WhenAny(graceful, Task.Delay(Timeout.Infinite, cancellationToken)) == graceful)
        {
            await graceful;
            return;
        }

        LogForcedStop(_logger);
        var forced = _worker.StopAsync(isForced: true);
        await Task.WhenAny(forced, Task.Delay(ForcedStopWait, CancellationToken.None));
        ObserveLater(graceful);
        ObserveLater(forced);
    }

    private static void ObserveLater(Task task) =>
        task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;

    public override void Dispose()
    {
        _worker.Dispose();
        base.Dispose();
    }

    private Task BindOrchestrationAsync(DispatchMiddlewareContext context, Func<Task> next)
    {
        // Bound once: in an extended session the later episodes resume the same orchestration object, whose shim
        // holds the running orchestrator (a new one would have lost its place, its events and its custom status).
        if (context.GetProperty<CoreOrchestration>() is DeferredOrchestration { Inner: null } deferred)
        {
            var state = context.GetProperty<OrchestrationRuntimeState>();
            var parent = state.ParentInstance is { } p
                ? new ParentOrchestrationInstance(p.Name, p.OrchestrationInstance.InstanceId)
                : null;
            if (Factory.TryCreateOrchestrator(new TaskName(deferred.Name), _services, out var orchestrator))
            {
                deferred.Inner = _shims.CreateOrchestration(new TaskName(deferred.Name), orchestrator, parent);
            }
        }

        return next();
    }

    private async Task BindActivityAsync(DispatchMiddlewareContext context, Func<Task> next)
    {
        if (context.GetProperty<CoreActivity>() is DeferredActivity deferred)
        {
            await using var scope = _services.CreateAsyncScope();
            if (Factory.TryCreateActivity(new TaskName(deferred.Name), scope.ServiceProvider, out var activity))
            {
                deferred.Inner = _shims.CreateActivity(new TaskName(deferred.Name), activity);
            }

            await next();
            return;
        }

        await next();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Durable worker did not stop within the shutdown timeout; stopped by force (unfinished work returns to the task hub)")]
    private static partial void LogForcedStop(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Durable worker started on the Azure Storage backend")]
    private static partial void LogStarted(ILogger logger);

    /// <summary>Every name resolves to a placeholder the middleware fills in; unknown names fail the orchestration.</summary>
    private sealed class OrchestrationLookup : INameVersionObjectManager<CoreOrchestration>
    {
        public void Add(ObjectCreator<CoreOrchestration> creator) => throw new NotSupportedException("Register orchestrators in the DurableTaskRegistry.");

        public CoreOrchestration GetObject(string name, string? version) => new DeferredOrchestration(name);
    }

    private sealed class ActivityLookup : INameVersionObjectManager<CoreActivity>
    {
        public void Add(ObjectCreator<CoreActivity> creator) => throw new NotSupportedException("Register activities in the DurableTaskRegistry.");

        public CoreActivity GetObject(string name, string? version) => new DeferredActivity(name);
    }

    private sealed class DeferredOrchestration(string name) : CoreOrchestration
    {
        public string Name { get; } = name;

        public CoreOrchestration? Inner { get; set; }

        // An unknown name must fail through the returned task: a synchronous throw escapes the executor and the
        // dispatcher would abandon and retry the message forever instead of failing the orchestration.
        public override Task<string> Execute(OrchestrationContext context, string input) =>
            Inner?.Execute(context, input) ?? Task.FromException<string>(new InvalidOperationException($"Orchestrator '{Name}' is not registered."));

        public override void RaiseEvent(OrchestrationContext context, string name, string input) => Inner?.RaiseEvent(context, name, input);

        public override string GetStatus() => Inner?.GetStatus()!;
    }

    private sealed class DeferredActivity(string name) : CoreActivity
    {
        public string Name { get; } = name;

        public CoreActivity? Inner { get; set; }

        public override string Run(TaskContext context, string input) => throw new NotSupportedException();

        public override Task<string> RunAsync(TaskContext context, string input) =>
            Inner?.RunAsync(context, input) ?? Task.FromException<string>(new InvalidOperationException($"Activity '{Name}' is not registered."));
    }
}
