using System.Collections.Concurrent;
using System.Diagnostics;
using ServerlessVideo.Pipeline;
using ServerlessVideo.Pipeline.Telemetry;

namespace ServerlessVideo.Cli.Commands.Bench;

/// <summary>
/// Which videos have reached their final row, as the in-process host's own telemetry says (the span
/// <see cref="PipelineTelemetry.RecordVideo"/> adds when the row is written): the bench learns that a video is done
/// without asking storage, so watching a batch adds no request to what it measures.
/// </summary>
internal sealed class FinalVideos : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentDictionary<string, byte> _final = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _changed = new(0);

    public FinalVideos()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == PipelineTelemetry.SourceName,
            // Only the per-video span: the activities' spans are not created for this listener.
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.Name == TaskNames.VideoOrchestration ? ActivitySamplingResult.AllData : ActivitySamplingResult.None,
            ActivityStopped = span =>
            {
                if (span.OperationName == TaskNames.VideoOrchestration && span.GetTagItem(TelemetryTags.VideoId) is string id)
                {
                    _final[id] = 0;
                    _changed.Release();
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public int Count(IEnumerable<string> ids) => ids.Count(_final.ContainsKey);

    /// <summary>
    /// Returns once every one of <paramref name="ids"/> is final; <paramref name="progress"/> is told how many are
    /// every 10 s. Throws after <paramref name="timeout"/>.
    /// </summary>
    public async Task WaitAsync(IReadOnlyList<string> ids, TimeSpan timeout, Action<int>? progress, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        while (Count(ids) is var done && done < ids.Count)
        {
            if (watch.Elapsed > timeout)
            {
                var first = ids.First(id => !_final.ContainsKey(id));
                throw new CliException($"{ids.Count - done} of {ids.Count} video(s) not final after {timeout.TotalSeconds:0} s (first: {first})");
            }

            if (progress is not null && watch.Elapsed - lastReport > TimeSpan.FromSeconds(10))
            {
                lastReport = watch.Elapsed;
                progress(done);
            }

            await _changed.WaitAsync(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        _changed.Dispose();
    }
}
