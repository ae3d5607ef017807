using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ServerlessVideo.Host.Durable;

/// <summary>
/// Spaces this process's reads of each control queue at least <see cref="Interval"/> apart. The durable backend reads a
/// control queue again at once after every read that returned messages, and 50 ms after one that did not, so while
/// messages trickle in (a batch of videos) it reads about three times per message, mostly for nothing. Spaced, one read
/// collects what arrived meanwhile: an orchestration episode starts up to <see cref="Interval"/> later, and storage
/// serves a fraction of the reads. Sends, deletes and the work-item queue pass untouched.
/// </summary>
public sealed class ControlQueuePacing(TimeSpan interval, TimeProvider time) : HttpPipelinePolicy
{
    private readonly ConcurrentDictionary<string, Slot> _queues = new(StringComparer.Ordinal);

    public TimeSpan Interval { get; } = interval;

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        var wait = Reserve(message.Request);
        if (wait > TimeSpan.Zero)
        {
            Thread.Sleep(wait);
        }

        ProcessNext(message, pipeline);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        var wait = Reserve(message.Request);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, message.CancellationToken).ConfigureAwait(false);
        }

        await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
    }

    /// <summary>How long this request waits: zero unless it reads a control queue read less than the interval ago.</summary>
    private TimeSpan Reserve(Request request)
    {
        if (Interval <= TimeSpan.Zero || QueueOf(request) is not { } queue)
        {
            return TimeSpan.Zero;
        }

        var slot = _queues.GetOrAdd(queue, _ => new Slot());
        lock (slot)
        {
            var now = time.GetUtcNow();
            var start = slot.Next > now ? slot.Next : now;
            slot.Next = start + Interval;
            return start - now;
        }
    }

    /// <summary>The control queue a dequeue (<c>GET …/{hub}-control-NN/messages</c>) reads; null for any other request.</summary>
    internal static string? QueueOf(Request request)
    {
        if (request.Method != RequestMethod.Get)
        {
            return null;
        }

        var path = request.Uri.Path.TrimEnd('/');
        if (!path.EndsWith("/messages", StringComparison.Ordinal))
        {
            return null;
        }

        var queue = path[..^"/messages".Length];
        queue = queue[(queue.LastIndexOf('/') + 1)..];
        // A peek (peekonly=true) reads without taking: only the backend's dequeues are paced.
        return queue.Contains("-control-", StringComparison.Ordinal) && !request.Uri.Query.Contains("peekonly", StringComparison.OrdinalIgnoreCase)
            ? queue
            : null;
    }

    private sealed class Slot
    {
        public DateTimeOffset Next { get; set; }
    }
}
