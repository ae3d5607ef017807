using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ServerlessVideo.Host.Durable;

/// <summary>
/// Spares the durable backend's queue polls that could find nothing. After a message arrives the backend polls its queue
/// again at once, then after 50, 100, 200 ms … however it learnt of the message; in a batch of short videos that came
/// to seven control-queue polls per video, five of them empty. This policy, on the backend's queue client, holds a poll
/// that follows one which emptied the queue until this process has added a message to that queue since, or until
/// <c>hold</c> has passed since the queue was last polled. Messages this process adds are fetched as soon as before;
/// one another worker adds, or a timer or a message set aside that comes due, waits at most <c>hold</c>: the longest
/// idle polling interval, which the backend's own backoff reaches within a second and a half of idling anyway.
/// </summary>
public sealed class QueuePollGate(TimeSpan hold, TimeProvider time) : HttpPipelinePolicy
{
    private static readonly byte[] MessageTag = "<QueueMessage>"u8.ToArray();

    private readonly ConcurrentDictionary<string, QueueState> _queues = new(StringComparer.Ordinal);

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        var (kind, queue) = Classify(message.Request);
        if (kind == Kind.Other)
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
            return;
        }

        var state = _queues.GetOrAdd(queue!, _ => new QueueState());
        if (kind == Kind.Receive)
        {
            await state.WaitTurnAsync(hold, time, message.CancellationToken).ConfigureAwait(false);
        }

        var addsBefore = state.Adds;
        await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        Observe(kind, message, state, addsBefore);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        // The backend polls asynchronously; a synchronous caller is never held, but its adds still count.
        ArgumentNullException.ThrowIfNull(message);
        var (kind, queue) = Classify(message.Request);
        var state = kind == Kind.Other ? null : _queues.GetOrAdd(queue!, _ => new QueueState());
        var addsBefore = state?.Adds ?? 0;
        ProcessNext(message, pipeline);
        if (state is not null)
        {
            Observe(kind, message, state, addsBefore);
        }
    }

    private void Observe(Kind kind, HttpMessage message, QueueState state, long addsBefore)
    {
        if (!message.HasResponse)
        {
            return;
        }

        var status = message.Response.Status;
        if (kind == Kind.Add && status is >= 200 and < 300)
        {
            state.Added();
        }
        else if (kind == Kind.Receive)
        {
            state.Polled(time.GetTimestamp(), status == 200 && Drained(message) ? addsBefore : null);
        }
    }

    /// <summary>Whether the poll got fewer messages than it asked for: the queue was empty when it was read.</summary>
    private static bool Drained(HttpMessage message)
    {
        var asked = 1;
        foreach (var part in message.Request.Uri.Query.TrimStart('?').Split('&'))
        {
            if (part.StartsWith("numofmessages=", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(part.AsSpan("numofmessages=".Length), out var n))
            {
                asked = n;
            }
        }

        ReadOnlySpan<byte> body;
        try
        {
            body = message.Response.Content.ToMemory().Span;
        }
        catch (InvalidOperationException)
        {
            // Not buffered: say nothing about the queue.
            return false;
        }

        var got = 0;
        for (var at = body.IndexOf(MessageTag); at >= 0; at = body.IndexOf(MessageTag))
        {
            got++;
            body = body[(at + MessageTag.Length)..];
        }

        return got < asked;
    }

    private enum Kind
    {
        Other,
        Receive,
        Add,
    }

    /// <summary>A receive (GET …/messages, not a peek), an add (POST …/messages, or a PUT that sets a message's visibility), or other; with the queue's path.</summary>
    private static (Kind Kind, string? Queue) Classify(Request request)
    {
        // …/{queue}/messages, or …/{queue}/messages/{id}: the segment itself, not a queue whose name starts with it.
        var path = request.Uri.Path;
        var single = !path.EndsWith("/messages", StringComparison.Ordinal);
        var at = single ? path.LastIndexOf("/messages/", StringComparison.Ordinal) : path.Length - "/messages".Length;
        if (at <= 0)
        {
            return (Kind.Other, null);
        }

        var queue = path[..at];
        if (request.Method == RequestMethod.Get && !single
            && !request.Uri.Query.Contains("peekonly=true", StringComparison.OrdinalIgnoreCase))
        {
            return (Kind.Receive, queue);
        }

        if (request.Method == RequestMethod.Post && !single || request.Method == RequestMethod.Put && single)
        {
            return (Kind.Add, queue);
        }

        return (Kind.Other, null);
    }

    /// <summary>One queue's adds by this process and its last poll.</summary>
    private sealed class QueueState
    {
        private long _adds;
        private long _emptiedAtAdds = -1;
        private long _polledAt;
        private TaskCompletionSource _added = NewSignal();

        public long Adds => Interlocked.Read(ref _adds);

        public void Added()
        {
            Interlocked.Increment(ref _adds);
            Interlocked.Exchange(ref _added, NewSignal()).TrySetResult();
        }

        /// <summary>After a poll: when it was made, and, when it emptied the queue, how many adds had completed as it was sent.</summary>
        public void Polled(long timestamp, long? emptiedAtAdds)
        {
            Interlocked.Exchange(ref _polledAt, timestamp);
            Interlocked.Exchange(ref _emptiedAtAdds, emptiedAtAdds ?? -1);
        }

        /// <summary>Waits while the last poll emptied the queue, nothing was added since, and <paramref name="hold"/> has not passed since it.</summary>
        public async Task WaitTurnAsync(TimeSpan hold, TimeProvider time, CancellationToken cancellationToken)
        {
            // The signal is read before the count, so an add between the two is not missed.
            var signal = Volatile.Read(ref _added);
            if (Interlocked.Read(ref _emptiedAtAdds) != Adds)
            {
                return;
            }

            var left = hold - time.GetElapsedTime(Interlocked.Read(ref _polledAt));
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            try
            {
                await signal.Task.WaitAsync(left, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Held long enough: poll for what other workers and timers may have put there.
            }
        }

        private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
