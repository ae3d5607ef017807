using System.Diagnostics;
using Azure.Core;
using Azure.Storage.Queues;
using ServerlessVideo.Host.Durable;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Deployment.Tests;

/// <summary>The local host's durable backend reads each control queue at most once per interval; nothing else waits.</summary>
public sealed class ControlQueuePacingTests
{
    [Fact]
    public async Task Reads_of_a_control_queue_are_spaced_by_the_interval()
    {
        var interval = TimeSpan.FromMilliseconds(200);
        var service = Service(new ControlQueuePacing(interval, TimeProvider.System));
        var control = service.GetQueueClient(TestNames.Unique("hub") + "-control-00");
        await control.CreateAsync();

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 4; i++)
        {
            await control.ReceiveMessagesAsync(32);
        }

        // Four reads: the first at once, each later one an interval after the one before.
        Assert.True(watch.Elapsed >= 3 * interval - TimeSpan.FromMilliseconds(5), $"four reads took {watch.Elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task Sends_peeks_and_work_item_reads_never_wait_for_a_paced_read()
    {
        // An interval no test outlasts: the second control read waits for it while everything else goes through.
        var service = Service(new ControlQueuePacing(TimeSpan.FromMinutes(10), TimeProvider.System));
        var hub = TestNames.Unique("hub");
        var control = service.GetQueueClient(hub + "-control-00");
        var other = service.GetQueueClient(hub + "-control-01");
        var workItems = service.GetQueueClient(hub + "-workitems");
        await Task.WhenAll(control.CreateAsync(), other.CreateAsync(), workItems.CreateAsync());
        await control.ReceiveMessagesAsync(32);
        using var stop = new CancellationTokenSource();
        var paced = control.ReceiveMessagesAsync(32, cancellationToken: stop.Token);

        using var budget = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await control.SendMessageAsync("m", budget.Token);
        await control.PeekMessagesAsync(1, budget.Token);
        await other.ReceiveMessagesAsync(32, cancellationToken: budget.Token);
        for (var i = 0; i < 3; i++)
        {
            await workItems.ReceiveMessagesAsync(1, cancellationToken: budget.Token);
        }

        Assert.False(paced.IsCompleted);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => paced);
    }

    private static QueueServiceClient Service(ControlQueuePacing pacing)
    {
        var options = new QueueClientOptions();
        options.AddPolicy(pacing, HttpPipelinePosition.PerCall);
        return new QueueServiceClient(Azurite.ConnectionString, options);
    }
}
