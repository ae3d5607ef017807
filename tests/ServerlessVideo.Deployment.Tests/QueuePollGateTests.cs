using System.Diagnostics;
using Azure.Core;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessVideo.Host;
using ServerlessVideo.Host.Durable;
using ServerlessVideo.Pipeline;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Deployment.Tests;

/// <summary>The durable backend's queue polls on real Azurite, through <see cref="QueuePollGate"/>.</summary>
public sealed class QueuePollGateTests
{
    /// <summary>Far longer than any step here takes, even on a busy machine: a poll that returns sooner was not held.</summary>
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_poll_after_one_that_emptied_the_queue_waits_for_the_hold()
    {
        var hold = TimeSpan.FromMilliseconds(700);
        var queue = await GatedQueueAsync(hold);

        // Timed from before the first poll: the hold counts from its answer, so the two take at least the hold.
        var watch = Stopwatch.StartNew();
        Assert.Empty((await queue.ReceiveMessagesAsync(32)).Value);
        Assert.Empty((await queue.ReceiveMessagesAsync(32)).Value);

        Assert.True(watch.Elapsed >= hold, $"two polls of an empty queue took {watch.Elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task A_message_this_process_adds_releases_a_held_poll_at_once()
    {
        var queue = await GatedQueueAsync(Long);
        Assert.Empty((await queue.ReceiveMessagesAsync(32)).Value);

        var held = queue.ReceiveMessagesAsync(32);
        await Task.Delay(300);
        Assert.False(held.IsCompleted, "a poll after an empty one went out with nothing added");

        await queue.SendMessageAsync("wake");
        var got = (await held.WaitAsync(Soon)).Value;
        Assert.Equal("wake", Assert.Single(got).MessageText);
    }

    [Fact]
    public async Task A_poll_that_got_all_it_asked_for_is_not_held_and_one_that_got_fewer_is()
    {
        var queue = await GatedQueueAsync(Long);
        await queue.SendMessageAsync("one");
        await queue.SendMessageAsync("two");

        Assert.Single((await queue.ReceiveMessagesAsync(1)).Value);
        Assert.Single((await queue.ReceiveMessagesAsync(2).WaitAsync(Soon)).Value);

        var held = queue.ReceiveMessagesAsync(1);
        await Task.Delay(300);
        Assert.False(held.IsCompleted, "a poll after one that got fewer messages than it asked for went out at once");
    }

    [Fact]
    public async Task A_message_another_worker_adds_is_fetched_once_the_hold_has_passed()
    {
        var hold = TimeSpan.FromSeconds(1);
        var queue = await GatedQueueAsync(hold);
        var other = new QueueClient(Azurite.ConnectionString, queue.Name);
        Assert.Empty((await queue.ReceiveMessagesAsync(32)).Value);

        var watch = Stopwatch.StartNew();
        await other.SendMessageAsync("from elsewhere");
        var got = (await queue.ReceiveMessagesAsync(32).WaitAsync(Soon)).Value;

        Assert.Equal("from elsewhere", Assert.Single(got).MessageText);
        Assert.True(watch.Elapsed >= hold * 0.5, $"fetched after {watch.Elapsed.TotalMilliseconds:F0} ms: the poll was not held");
    }

    [Fact]
    public async Task A_held_poll_ends_when_cancelled_and_peeks_are_never_held()
    {
        var queue = await GatedQueueAsync(Long);
        Assert.Empty((await queue.ReceiveMessagesAsync(32)).Value);

        Assert.Empty((await queue.PeekMessagesAsync(32).WaitAsync(Soon)).Value);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.ReceiveMessagesAsync(32, cancellationToken: cancel.Token).WaitAsync(Soon));
    }

    [Fact]
    public async Task The_backends_queue_client_holds_polls_for_the_longest_polling_interval()
    {
        var host = new LocalHostOptions { TaskHub = TestNames.Unique("hub"), MaxPollingInterval = Long };
        var storage = new PipelineOptions { StorageConnectionString = Azurite.ConnectionString };
        var provider = LocalDurableRegistration.Settings(host, storage, NullLoggerFactory.Instance).StorageAccountClientProvider!.Queue;
        var queue = provider.CreateClient(provider.CreateOptions()).GetQueueClient(TestNames.Unique("gate"));
        await queue.CreateAsync();
        Assert.Empty((await queue.ReceiveMessagesAsync(32)).Value);

        var held = queue.ReceiveMessagesAsync(32);
        await Task.Delay(300);
        Assert.False(held.IsCompleted, "the backend's second poll of an empty queue went out at once");
        await queue.SendMessageAsync("start");
        Assert.Single((await held.WaitAsync(Soon)).Value);
    }

    private static async Task<QueueClient> GatedQueueAsync(TimeSpan hold)
    {
        var options = new QueueClientOptions();
        options.AddPolicy(new QueuePollGate(hold, TimeProvider.System), HttpPipelinePosition.PerCall);
        var queue = new QueueClient(Azurite.ConnectionString, TestNames.Unique("gate"), options);
        await queue.CreateAsync();
        return queue;
    }
}
