using ServerlessVideo.Pipeline.Activities;
using ServerlessVideo.Pipeline.Messages;
using ServerlessVideo.Pipeline.Storage;

namespace ServerlessVideo.Pipeline.Tests;

/// <summary>
/// A short video is marked Running only once its work outlasts <see cref="PipelineOptions.MarkRunningAfter"/>: a mark
/// not yet due when the results are written is never made, one under way is waited for, and none lands on the final row.
/// </summary>
public sealed class DelayedRunningMarkTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Earlier = Now.AddMinutes(-5);

    [Fact]
    public async Task A_mark_settled_before_it_is_due_is_never_made()
    {
        var marks = 0;
        await using var running = await RunningMark.StartAsync(() => { marks++; return Task.FromResult(Earlier); }, Unexpected, Now, TimeSpan.FromMinutes(10));

        Assert.Equal(Now, running.StartedAt);
        Assert.Equal(Now, await running.SettleAsync());
        Assert.Equal(0, marks);
    }

    [Fact]
    public async Task Zero_delay_marks_at_once_and_keeps_the_start_the_mark_returns()
    {
        var marks = 0;
        await using var running = await RunningMark.StartAsync(() => { marks++; return Task.FromResult(Earlier); }, Unexpected, Now, TimeSpan.Zero);

        Assert.Equal(1, marks);
        Assert.Equal(Earlier, running.StartedAt);
        Assert.Equal(Earlier, await running.SettleAsync());
        Assert.Equal(Earlier, await running.MarkNowAsync());
        Assert.Equal(1, marks);
    }

    [Fact]
    public async Task A_mark_that_came_due_is_made_once_and_its_start_kept()
    {
        var made = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var marks = 0;
        await using var running = await RunningMark.StartAsync(
            () => { Interlocked.Increment(ref marks); made.TrySetResult(); return Task.FromResult(Earlier); }, Unexpected, Now, TimeSpan.FromMilliseconds(10));

        await made.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Earlier, await running.SettleAsync());
        Assert.Equal(Earlier, await running.MarkNowAsync());
        Assert.Equal(1, marks);
    }

    [Fact]
    public async Task Settling_waits_for_a_mark_under_way()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var running = await RunningMark.StartAsync(
            async () => { started.TrySetResult(); await release.Task; return Earlier; }, Unexpected, Now, TimeSpan.FromMilliseconds(1));
        try
        {
            await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
            var settling = running.SettleAsync();
            await Task.Delay(50);
            Assert.False(settling.IsCompleted, "the final write must wait for a mark under way");
            release.SetResult();
            Assert.Equal(Earlier, await settling.WaitAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            // Disposing waits for the mark: never leave it blocked.
            release.TrySetResult();
        }
    }

    [Fact]
    public async Task A_delayed_mark_that_fails_is_reported_and_counts_as_not_made()
    {
        var failures = new List<Exception>();
        var tried = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var running = await RunningMark.StartAsync(
            () => { tried.TrySetResult(); throw new InvalidOperationException("storage down"); }, failures.Add, Now, TimeSpan.FromMilliseconds(1));
        await tried.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Now, await running.SettleAsync());
        Assert.Equal("storage down", Assert.Single(failures).Message);
    }

    [Fact]
    public async Task Work_going_on_elsewhere_is_marked_now_once()
    {
        var marks = 0;
        await using var running = await RunningMark.StartAsync(() => { marks++; return Task.FromResult(Earlier); }, Unexpected, Now, TimeSpan.FromMinutes(10));

        Assert.Equal(Earlier, await running.MarkNowAsync());
        Assert.Equal(Earlier, await running.MarkNowAsync());
        Assert.Equal(1, marks);
    }

    [Theory]
    [InlineData(600_000)]
    [InlineData(1)]
    [InlineData(0)]
    public async Task A_short_video_ends_final_with_its_start_whenever_its_mark_is_due(int markAfterMs)
    {
        // Segments of 8 clips: every view is one segment, so the video is finished in its preparing activity.
        await using var h = await PipelineHarness.StartAsync(twoModels: true, configure: x =>
        {
            x.Options.ClipsPerSegment = 8;
            x.Options.MarkRunningAfter = TimeSpan.FromMilliseconds(markAfterMs);
        });
        var job = await h.QueuedJobAsync();
        var results = h.Service<ResultStore>();
        var now = DateTimeOffset.UtcNow.AddSeconds(-1);

        var prepared = await h.Service<VideoActivities>().PrepareAsync(new PrepareRequest(job, now, FinishShort: true), h.Client);

        Assert.Equal(VideoStatuses.Completed, prepared.Finished?.Outcome.Status);
        var row = await results.GetAsync(job.VideoId, CancellationToken.None);
        Assert.Equal(VideoStatuses.Completed, row!.Status);
        Assert.Equal(now, row.StartedAt);
    }

    private static void Unexpected(Exception ex) => Assert.Fail($"the mark failed: {ex}");
}
