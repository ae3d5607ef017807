using ServerlessVideo.Core;
using ServerlessVideo.Pipeline.Activities;
using ServerlessVideo.Pipeline.Messages;
using ServerlessVideo.Pipeline.Storage;

namespace ServerlessVideo.Pipeline.Tests;

/// <summary>
/// The first activity marks the row Running on the ETag the starter wrote it with, reading it only when that fails:
/// a retry keeps the first start, and a final row stays final.
/// </summary>
public sealed class RunningMarkTests
{
    [Fact]
    public async Task The_starters_row_is_marked_running_and_a_retry_keeps_the_first_start()
    {
        await using var h = await PipelineHarness.StartAsync();
        var job = await h.QueuedJobAsync();
        Assert.NotNull(job.RowETag);
        var activities = h.Service<VideoActivities>();
        var first = DateTimeOffset.UtcNow.AddMinutes(-1);

        var prepared = await activities.PrepareAsync(new PrepareRequest(job, first), h.Client);
        Assert.True(prepared.Admitted);
        Assert.Equal(first, prepared.StartedAt);
        var row = await h.Service<ResultStore>().GetAsync(job.VideoId, CancellationToken.None);
        Assert.Equal(VideoStatuses.Running, row!.Status);
        Assert.Equal(first, row.StartedAt);

        // The same job again (the activity retried): its ETag is stale now, and the row keeps the first start.
        var retried = await activities.PrepareAsync(new PrepareRequest(job, first.AddSeconds(30)), h.Client);
        Assert.Equal(first, retried.StartedAt);
        Assert.Equal(first, (await h.Service<ResultStore>().GetAsync(job.VideoId, CancellationToken.None))!.StartedAt);
    }

    [Fact]
    public async Task A_final_row_is_not_marked_running_even_on_the_etag_it_was_queued_with()
    {
        await using var h = await PipelineHarness.StartAsync();
        var job = await h.QueuedJobAsync();
        var results = h.Service<ResultStore>();
        var done = VideoRow.Of(job, VideoStatuses.Failed);
        done.StartedAt = DateTimeOffset.UtcNow.AddMinutes(-2);
        done.ReasonCode = ReasonCodes.NotFound;
        await results.MergeAsync(done, CancellationToken.None);

        var prepared = await h.Service<VideoActivities>().PrepareAsync(new PrepareRequest(job, DateTimeOffset.UtcNow), h.Client);
        Assert.Equal(done.StartedAt, prepared.StartedAt);
        var row = await results.GetAsync(job.VideoId, CancellationToken.None);
        Assert.Equal(VideoStatuses.Failed, row!.Status);
        Assert.Equal(ReasonCodes.NotFound, row.ReasonCode);
    }

    [Fact]
    public async Task A_conditional_merge_fails_on_a_changed_or_missing_row_and_leaves_it_alone()
    {
        await using var h = await PipelineHarness.StartAsync();
        var results = h.Service<ResultStore>();
        var job = new VideoJob("v-mark", "videos", "v.mp4", "0x1", DateTimeOffset.UtcNow);
        var etag = await results.TryInsertAsync(VideoRow.Of(job, VideoStatuses.Queued), CancellationToken.None);
        Assert.NotNull(etag);
        Assert.Null(await results.TryInsertAsync(VideoRow.Of(job, VideoStatuses.Queued), CancellationToken.None));

        Assert.True(await results.TryMergeUnchangedAsync(VideoRow.Of(job, VideoStatuses.Running), etag.Value, CancellationToken.None));
        Assert.False(await results.TryMergeUnchangedAsync(VideoRow.Of(job, VideoStatuses.Completed), etag.Value, CancellationToken.None));
        Assert.Equal(VideoStatuses.Running, (await results.GetAsync(job.VideoId, CancellationToken.None))!.Status);

        var gone = new VideoJob("v-gone", "videos", "g.mp4", "0x1", DateTimeOffset.UtcNow);
        Assert.False(await results.TryMergeUnchangedAsync(VideoRow.Of(gone, VideoStatuses.Running), etag.Value, CancellationToken.None));
        Assert.Null(await results.GetAsync(gone.VideoId, CancellationToken.None));
    }
}
