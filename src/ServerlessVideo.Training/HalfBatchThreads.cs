using System.Collections.Concurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace ServerlessVideo.Training;

/// <summary>
/// Two long-lived threads that each run libtorch with one intra-op thread, for the two halves of a training batch at
/// once. Small tensor operations keep libtorch's OpenMP threads waiting on each other (a profile of the axial
/// TimeSformer's training found its two threads spinning in the OpenMP runtime more than half the time); two half
/// batches side by side, one core each, keep both cores computing.
/// </summary>
public sealed class HalfBatchThreads : IDisposable
{
    private readonly BlockingCollection<Action>[] _queues = [new(), new()];
    private Thread[]? _threads;

    /// <summary>
    /// Starts the threads, on the first <see cref="Backward"/>: a trainer can hold an instance for any network, and only
    /// one that splits its batches pays for the threads.
    /// </summary>
    private void Start()
    {
        var callerThreads = torch.get_num_threads();
        using var started = new CountdownEvent(_queues.Length);
        var settled = new int[_queues.Length];
        _threads = [.. _queues.Select((queue, i) => new Thread(() =>
        {
            // libtorch settles a thread's count at its first operation from the process-wide default, which the
            // caller's count is about to become again: reading it settles it now, at one.
            torch.set_num_threads(1);
            settled[i] = torch.get_num_threads();
            started.Signal();
            foreach (var work in queue.GetConsumingEnumerable())
            {
                work();
            }
        })
        { IsBackground = true, Name = $"half batch {i}" })];
        foreach (var thread in _threads)
        {
            thread.Start();
        }

        // Setting a thread's count also sets libtorch's default for threads that have not yet run an operation:
        // the caller's is restored once both workers have set theirs.
        started.Wait();
        torch.set_num_threads(callerThreads);
        if (settled.Any(count => count != 1))
        {
            throw new InvalidOperationException($"The half-batch threads run libtorch with {string.Join(" and ", settled)} intra-op threads, not one each.");
        }
    }

    /// <summary>
    /// Forward and backward of the mean cross-entropy over a batch of <c>y.shape[0]</c> samples whose first part,
    /// <paramref name="shared"/> (rows grouped by sample, e.g. a frame CNN's output for every frame), was computed on
    /// the whole batch, because it couples the samples (batch norm). <paramref name="head"/> maps the rows of some
    /// samples to their logits and must treat each sample on its own (layer norm, attention within a sample): it runs
    /// on the two halves at once, each half's backward accumulating into the shared parameters, and then the gradient
    /// reaching <paramref name="shared"/> flows back through the first part on the calling thread. The gradients are
    /// those of the whole batch's mean loss, as one pass computes them, up to the order of float sums. Returns the
    /// mean loss.
    /// </summary>
    public float Backward(Tensor shared, Tensor y, Func<Tensor, Tensor> head)
    {
        ArgumentNullException.ThrowIfNull(shared);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(head);
        var n = y.shape[0];
        var rows = shared.shape[0] / n;
        if (n < 2 || rows * n != shared.shape[0])
        {
            throw new ArgumentException($"{shared.shape[0]} rows do not split evenly into {n} samples of two halves.", nameof(shared));
        }

        if (_threads is null)
        {
            Start();
        }

        using var cut = shared.detach().requires_grad_(true);
        float Half(long start, long count)
        {
            using var scope = NewDisposeScope();
            var loss = nn.functional.cross_entropy(head(cut.narrow(0, start * rows, count * rows)), y.narrow(0, start, count), reduction: nn.Reduction.Sum);
            (loss / n).backward();
            return loss.item<float>();
        }

        var first = n / 2;
        var (a, b) = Run(() => Half(0, first), () => Half(first, n - first));
        shared.backward([cut.grad!]);
        return (a + b) / n;
    }

    private (T First, T Second) Run<T>(Func<T> first, Func<T> second)
    {
        var results = new[] { first, second }.Select((work, i) =>
        {
            var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            _queues[i].Add(() =>
            {
                try
                {
                    done.SetResult(work());
                }
                catch (Exception e)
                {
                    done.SetException(e);
                }
            });
            return done.Task;
        }).ToArray();
        // Both halves finish before either's exception is rethrown, so no work is left running on the threads.
        ((Task)Task.WhenAll(results)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing).GetAwaiter().GetResult();
        return (results[0].GetAwaiter().GetResult(), results[1].GetAwaiter().GetResult());
    }

    public void Dispose()
    {
        foreach (var queue in _queues)
        {
            queue.CompleteAdding();
        }

        foreach (var thread in _threads ?? [])
        {
            thread.Join();
        }

        foreach (var queue in _queues)
        {
            queue.Dispose();
        }
    }
}
