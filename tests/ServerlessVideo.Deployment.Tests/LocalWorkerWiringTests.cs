using DurableTask.AzureStorage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessVideo.Host;
using ServerlessVideo.Host.Durable;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Deployment.Tests;

/// <summary>How the local host's durable worker is put together (nothing here starts it).</summary>
public sealed class LocalWorkerWiringTests
{
    [Theory]
    [InlineData(null, 1)]
    [InlineData("00:00:03", 3)]
    public async Task After_a_failed_work_item_the_worker_pauses_for_the_setting_not_the_backends_ten_seconds(string? setting, int expected)
    {
        string[] args =
        [
            $"--Pipeline:StorageConnectionString={Azurite.ConnectionString}",
            $"--Host:TaskHub={TestNames.Unique("hub")}",
            "--Host:Watch=false",
            "--Logging:LogLevel:Default=None",
            .. setting is null ? Array.Empty<string>() : [$"--Host:FailureBackoff={setting}"],
        ];
        await using var app = HostComposition.Build(args);
        var backend = app.Services.GetRequiredService<AzureStorageOrchestrationService>();
        var worker = app.Services.GetRequiredService<IOptionsMonitor<AzureStorageWorkerOptions>>().Get(Options.DefaultName).Service;

        var failure = new InvalidOperationException("storage went away");
        Assert.Equal(10, backend.GetDelayInSecondsAfterOnProcessException(failure));
        Assert.IsType<FailureBackoffOrchestrationService>(worker);
        Assert.Equal(expected, worker.GetDelayInSecondsAfterOnProcessException(failure));
        Assert.Equal(expected, worker.GetDelayInSecondsAfterOnFetchException(failure));
        Assert.Equal(backend.MaxConcurrentTaskOrchestrationWorkItems, worker.MaxConcurrentTaskOrchestrationWorkItems);
    }
}
