using Microsoft.DurableTask.Client;
using OpenTelemetry.Trace;
using ServerlessVideo.Pipeline.Messages;
using ServerlessVideo.Pipeline.Orchestration;
using ServerlessVideo.Pipeline.Storage;
using ServerlessVideo.Pipeline.Telemetry;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Pipeline.Tests;

/// <summary>At most N videos in flight; the rest wait in order of submission and are woken when a slot frees.</summary>
public sealed class AdmissionTests
{
    [Fact]
    public async Task Slots_go_first_come_first_served_and_a_release_hands_them_on_in_order()
    {
        await using var h = await PipelineHarness.StartAsync(configure: x => x.Options.MaxVideosInFlight = 2);
        var store = h.Service<AdmissionStore>();
        var t0 = DateTimeOffset.UtcNow;
        VideoJob Job(string id, int second) => new(id, "videos", id + ".mp4", "0x1", t0.AddSeconds(second));
        var (a, b, c, d) = (Job("a", 0), Job("b", 1), Job("c", 2), Job("d", 3));

        Assert.Equal((true, 0), await store.TryAdmitAsync(a, CancellationToken.None));
        Assert.Equal((true, 0), await store.TryAdmitAsync(b, CancellationToken.None));
        // d asks before c but was submitted after it: c's place is first once it has asked.
        Assert.Equal((false, 1), await store.TryAdmitAsync(d, CancellationToken.None));
        Assert.Equal((false, 1), await store.TryAdmitAsync(c, CancellationToken.None));
        Assert.Equal((false, 2), await store.TryAdmitAsync(d, CancellationToken.None));
        // Asking again while holding is still admitted (an activity retried after admission).
        Assert.Equal((true, 0), await store.TryAdmitAsync(a, CancellationToken.None));

        var handed = await store.ReleaseAsync(a, CancellationToken.None);
        Assert.Equal(["c"], Ids(handed));
        // c is started from its place in line, with the job it was put there with.
        Assert.Equal(c, handed[0].Job);
        // Released again (the activity's completion was lost and it re-ran): c is named again, with no job (it may
        // have started by now), and d is not admitted.
        var again = Assert.Single(await store.ReleaseAsync(a, CancellationToken.None));
        Assert.Equal(("c", null), (again.VideoId, again.Job));
        Assert.Equal((true, 0), await store.TryAdmitAsync(c, CancellationToken.None));
        Assert.Equal((false, 1), await store.TryAdmitAsync(d, CancellationToken.None));
        Assert.Equal(["d"], Ids(await store.ReleaseAsync(b, CancellationToken.None)));
        Assert.Empty(Ids(await store.ReleaseAsync(c, CancellationToken.None)));
        Assert.Empty(Ids(await store.ReleaseAsync(d, CancellationToken.None)));
    }

    [Fact]
    public async Task Uploads_started_together_wait_in_order_of_submission_and_every_one_completes_once()
    {
        await using var h = await PipelineHarness.StartAsync(configure: x => x.Options.MaxVideosInFlight = 1);
        var uploads = new List<VideoStarter.Upload>();
        foreach (var colour in new[] { "red", "green", "blue", "red" })
        {
            var (name, etag) = await h.UploadAsync(await TestVideos.ColourAsync(h.Scratch, colour, 160, 120, 25, 2), $"{uploads.Count}-{colour}.mp4");
            uploads.Add(new VideoStarter.Upload(h.Options.VideosContainer, name, etag));
        }

        var starter = h.Service<VideoStarter>();
        // The one slot held by a video whose row says Running: nothing takes it back while the test looks at the line.
        var ghost = new VideoJob("ghost", "videos", "ghost.mp4", "0x1", DateTimeOffset.UtcNow);
        await h.Service<ResultStore>().TryInsertAsync(VideoRow.Of(ghost, VideoStatuses.Running), CancellationToken.None);
        await WriteHoldersAsync(h, new { Id = "ghost", Since = DateTimeOffset.UtcNow });
        var ids = await starter.StartManyAsync(h.Client, uploads, DateTimeOffset.UtcNow, CancellationToken.None);

        // All wait in line behind the ghost, in the order they were found, with no orchestration.
        Assert.Equal(4, await PlacesAsync(AdmissionTable(h)));
        var positions = await Task.WhenAll(ids.Select(async id => (await ResourceAsync(h, id, CancellationToken.None)).Progress!.QueuePosition!.Value));
        Assert.Equal(new[] { 1, 2, 3, 4 }, positions);
        Assert.All(ids, id => Assert.Null(h.Client.GetInstanceAsync(id, CancellationToken.None).GetAwaiter().GetResult()));

        // The ghost's slot handed on: each video, as it ends, hands it to the next.
        await starter.WakeAsync(h.Client, await h.Service<AdmissionStore>().ReleaseAsync(ghost, CancellationToken.None, admitted: true), CancellationToken.None);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        foreach (var id in ids)
        {
            Assert.Equal(OrchestrationRuntimeStatus.Completed, (await h.WaitForEndAsync(id, cts.Token)).RuntimeStatus);
        }

        // Found again (a watcher's next listing, or a restarted one): nothing starts twice, every video has one row.
        Assert.Equal(ids, await starter.StartManyAsync(h.Client, uploads, DateTimeOffset.UtcNow, CancellationToken.None));
        foreach (var id in ids)
        {
            Assert.Single(await h.RowsAsync(h.VideoRows, id));
            Assert.Equal(VideoStatuses.Completed, (await ResourceAsync(h, id, CancellationToken.None)).Status);
        }

        var (listed, _) = await h.Service<ResultQueries>().ListAsync(100, null, CancellationToken.None);
        Assert.Equal(ids.Order(), listed.Select(r => r.VideoId!).Where(id => id != "ghost").Order());
        Assert.Equal(0, await PlacesAsync(AdmissionTable(h)));
    }

    [Fact]
    public async Task A_holder_whose_video_has_no_row_loses_its_slot_after_the_grace_but_not_before()
    {
        await using var h = await PipelineHarness.StartAsync(configure: x => x.Options.MaxVideosInFlight = 2);
        // Two holders in the first format (bare ids, no admission time) whose videos have no row: a worker stopped
        // after its video was final elsewhere, before it handed its slot on.
        var admission = AdmissionTable(h);
        await admission.CreateIfNotExistsAsync();
        await admission.UpsertEntityAsync(new Azure.Data.Tables.TableEntity("slots", "holders") { ["Holders"] = "[\"ghost-1\",\"ghost-2\"]" });
        var store = h.Service<AdmissionStore>();
        var t0 = DateTimeOffset.UtcNow;
        VideoJob Job(string id, int second) => new(id, "videos", id + ".mp4", "0x1", t0.AddSeconds(second));

        Assert.Equal((true, 0), await store.TryAdmitAsync(Job("a", 0), CancellationToken.None));
        Assert.Equal((true, 0), await store.TryAdmitAsync(Job("b", 1), CancellationToken.None));
        // a and b have no row yet either, but were admitted just now: they keep their slots.
        Assert.Equal((false, 1), await store.TryAdmitAsync(Job("c", 2), CancellationToken.None));
    }

    [Fact]
    public async Task A_video_admitted_at_once_takes_no_place_in_line_and_one_admitted_on_a_later_ask_leaves_none_behind()
    {
        await using var h = await PipelineHarness.StartAsync(configure: x => x.Options.MaxVideosInFlight = 1);
        var store = h.Service<AdmissionStore>();
        var admission = AdmissionTable(h);
        var t0 = DateTimeOffset.UtcNow;
        VideoJob Job(string id, int second) => new(id, "videos", id + ".mp4", "0x1", t0.AddSeconds(second));

        Assert.Equal((true, 0), await store.TryAdmitAsync(Job("a", 0), CancellationToken.None));
        Assert.Equal(0, await PlacesAsync(admission));
        Assert.Equal((false, 1), await store.TryAdmitAsync(Job("b", 1), CancellationToken.None));
        Assert.Equal(1, await PlacesAsync(admission));

        // a's slot goes without a hand-over (its holder died, long ago): b's next ask takes it and gives its place up.
        await admission.UpsertEntityAsync(new Azure.Data.Tables.TableEntity("slots", "holders") { ["Holders"] = "[\"ghost\"]" });
        Assert.Equal((true, 0), await store.TryAdmitAsync(Job("b", 1), CancellationToken.None));
        Assert.Equal(0, await PlacesAsync(admission));
        Assert.Equal((false, 1), await store.TryAdmitAsync(Job("c", 2), CancellationToken.None));
        Assert.Equal(["c"], Ids(await store.ReleaseAsync(Job("b", 1), CancellationToken.None)));
    }

    [Fact]
    public async Task A_sweep_frees_the_slot_of_a_holder_gone_a_while_hands_it_on_and_names_a_stalled_one_again()
    {
        await using var h = await PipelineHarness.StartAsync(configure: x => x.Options.MaxVideosInFlight = 2);
        var store = h.Service<AdmissionStore>();
        var results = h.Service<ResultStore>();
        var t0 = DateTimeOffset.UtcNow;
        VideoJob Job(string id, int second) => new(id, "videos", id + ".mp4", "0x1", t0.AddSeconds(second));
        Task HoldersAsync(params object[] holders) => WriteHoldersAsync(h, holders);
        Task RowAsync(string id, string status) => results.MergeAsync(VideoRow.Of(Job(id, 0), status), CancellationToken.None);
        // "Just now" lies ahead, so however slow this machine is, it is still under PruneAfter when the sweep looks.
        var justNow = t0.AddMinutes(1);
        var longAgo = t0 - AdmissionStore.RewakeAfter - TimeSpan.FromSeconds(1);

        // Nobody in line: a sweep changes nothing and says nobody waits.
        AssertSweep(await store.SweepAsync(CancellationToken.None), [], waiting: false);

        // Full: "done" ended without handing its slot on (its row is final), but was admitted just now; "old" is alive.
        await RowAsync("done", VideoStatuses.Completed);
        await RowAsync("old", VideoStatuses.Running);
        await HoldersAsync(new { Id = "done", Since = justNow }, new { Id = "old", Since = t0.AddMinutes(-5) });
        Assert.Equal((false, 1), await store.TryAdmitAsync(Job("w", 1), CancellationToken.None));
        AssertSweep(await store.SweepAsync(CancellationToken.None), [], waiting: true);

        // The same holder admitted a while ago: the sweep frees its slot and hands it to the first in line, who keeps
        // the watch going until it has started.
        await HoldersAsync(new { Id = "done", Since = t0 - AdmissionStore.PruneAfter - TimeSpan.FromSeconds(1) }, new { Id = "old", Since = t0.AddMinutes(-5) });
        AssertSweep(await store.SweepAsync(CancellationToken.None), ["w"], waiting: true);
        Assert.Equal((true, 0), await store.TryAdmitAsync(Job("w", 1), CancellationToken.None));

        // A video holding a slot a while that still has not started is named again: handed one (its wake-up was lost),
        // or one that took a free slot while another starter put it in line. One that has started is not.
        await RowAsync("lost", VideoStatuses.Queued);
        await RowAsync("self", VideoStatuses.Queued);
        await HoldersAsync(
            new { Id = "lost", Since = longAgo, By = "old" }, new { Id = "old", Since = longAgo, By = "x" }, new { Id = "self", Since = longAgo, By = (string?)null });
        AssertSweep(await store.SweepAsync(CancellationToken.None), ["lost", "self"], waiting: true);

        // Once they have started, nobody waits: the watch may end.
        await RowAsync("lost", VideoStatuses.Running);
        await RowAsync("self", VideoStatuses.Running);
        AssertSweep(await store.SweepAsync(CancellationToken.None), [], waiting: false);

        // One still Queued long after it got its slot has no orchestration to use it (failed, terminated): the next
        // video to ask takes the slot.
        await RowAsync("gone", VideoStatuses.Queued);
        await HoldersAsync(new { Id = "gone", Since = t0 - AdmissionStore.GiveUpAfter - TimeSpan.FromSeconds(1), By = "old" }, new { Id = "old", Since = longAgo });
        Assert.Equal((true, 0), await store.TryAdmitAsync(Job("v", 2), CancellationToken.None));
    }

    [Fact]
    public async Task A_place_left_behind_by_a_holder_is_removed_by_the_next_hand_off_not_given_a_slot()
    {
        await using var h = await PipelineHarness.StartAsync(configure: x => x.Options.MaxVideosInFlight = 1);
        var store = h.Service<AdmissionStore>();
        var admission = AdmissionTable(h);
        var t0 = DateTimeOffset.UtcNow;
        VideoJob Job(string id, int second) => new(id, "videos", id + ".mp4", "0x1", t0.AddSeconds(second));

        Assert.Equal((true, 0), await store.TryAdmitAsync(Job("a", 0), CancellationToken.None));
        Assert.Equal((false, 1), await store.TryAdmitAsync(Job("b", 1), CancellationToken.None));
        // a's place, as if a hand-off had given a its slot and then failed to delete the place.
        await admission.UpsertEntityAsync(new Azure.Data.Tables.TableEntity("waiting", $"{t0.UtcTicks:D19}-a") { ["VideoId"] = "a" });
        Assert.Equal(2, await PlacesAsync(admission));

        // a ran, so its release does not delete a place it should not have; the hand-off removes it and wakes b.
        Assert.Equal(["b"], Ids(await store.ReleaseAsync(Job("a", 0), CancellationToken.None, admitted: true)));
        Assert.Equal(0, await PlacesAsync(admission));
        Assert.Equal((true, 0), await store.TryAdmitAsync(Job("b", 1), CancellationToken.None));
    }

    [Fact]
    public async Task A_video_in_line_behind_a_holder_that_ended_without_handing_on_is_admitted_by_the_watch()
    {
        await using var h = await PipelineHarness.StartAsync(configure: x => x.Options.MaxVideosInFlight = 1);
        // The one slot is held by a video terminated just after its admission: its row is final, and it will never
        // hand the slot on. Nothing finishes to wake the next video; the admission watch's sweep must.
        var id = await StartBehindGhostAsync(h, "red");
        var started = await h.Client.GetInstanceAsync(TaskNames.AdmissionWatchId, getInputsAndOutputs: true, CancellationToken.None);
        Assert.NotNull(started);

        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var done = await h.WaitForEndAsync(id, cts.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(VideoStatuses.Completed, done.ReadOutputAs<VideoOutcome>()!.Status);
        // Nobody waits any more: the watch ends rather than sweeping for ever.
        var watch = await h.Client.WaitForInstanceCompletionAsync(TaskNames.AdmissionWatchId, getInputsAndOutputs: true, cts.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, watch.RuntimeStatus);
        Assert.False(watch.ReadOutputAs<bool>());
    }

    [Fact]
    public async Task A_video_in_line_without_the_watch_asks_again_on_its_own_timer()
    {
        await using var h = await PipelineHarness.StartAsync(configure: x => x.Options.MaxVideosInFlight = 1);
        // As a job started before the watch existed (or whose starter could not start it): in line, not watched. The
        // slot's holder ended without handing it on; nothing wakes the video and no watch runs, so its own re-checks
        // (10 s, then 20 s) must find the slot once the holder is old enough to be checked.
        await GhostHoldsTheSlotAsync(h);

        var (name, etag) = await h.UploadAsync(await TestVideos.ColourAsync(h.Scratch, "green", 160, 120, 25, 2));
        var job = new VideoJob(Core.VideoIds.FromBlob(h.Options.VideosContainer, name, etag), h.Options.VideosContainer, name, etag.Trim('"'), DateTimeOffset.UtcNow)
        {
            QueuePosition = 1,
        };
        await h.Service<ResultStore>().TryInsertAsync(VideoRow.Of(job, VideoStatuses.Queued), CancellationToken.None);
        await h.Client.ScheduleNewOrchestrationInstanceAsync(TaskNames.VideoOrchestration, job, new Microsoft.DurableTask.StartOrchestrationOptions(job.VideoId));

        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var done = await h.Client.WaitForInstanceCompletionAsync(job.VideoId, getInputsAndOutputs: true, cts.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(VideoStatuses.Completed, done.ReadOutputAs<VideoOutcome>()!.Status);
        Assert.Null(await h.Client.GetInstanceAsync(TaskNames.AdmissionWatchId, CancellationToken.None));
    }

    [Fact]
    public async Task An_ask_right_after_its_slot_was_handed_or_taken_is_admitted_unread_but_a_late_one_reads_the_slots()
    {
        await using var h = await PipelineHarness.StartAsync(configure: x => x.Options.MaxVideosInFlight = 1);
        await GhostHoldsTheSlotAsync(h);
        var (name, etag) = await h.UploadAsync(await TestVideos.ColourAsync(h.Scratch, "green", 160, 120, 25, 2));
        var job = new VideoJob(Core.VideoIds.FromBlob(h.Options.VideosContainer, name, etag), h.Options.VideosContainer, name, etag.Trim('"'), DateTimeOffset.UtcNow);
        await h.Service<ResultStore>().TryInsertAsync(VideoRow.Of(job, VideoStatuses.Queued), CancellationToken.None);
        var activities = h.Service<Activities.VideoActivities>();

        // Held since long ago (its wake-up may be stale): the slots are read, and the ghost holds the only one.
        var late = await activities.PrepareAsync(new PrepareRequest(job, DateTimeOffset.UtcNow) { HeldSince = DateTimeOffset.UtcNow - AdmissionStore.TrustHandOffFor - TimeSpan.FromSeconds(1) }, h.Client);
        Assert.False(late.Admitted);
        Assert.Equal(1, late.QueuePosition);

        // Just woken: a wake-up is sent only with the slot handed, so the activity goes ahead without reading.
        var now = await activities.PrepareAsync(new PrepareRequest(job, DateTimeOffset.UtcNow) { HeldSince = DateTimeOffset.UtcNow }, h.Client);
        Assert.True(now.Admitted);
        Assert.Null(now.Failure);
    }

    [Fact]
    public async Task A_video_in_line_has_no_orchestration_until_the_release_that_hands_it_a_slot_starts_it()
    {
        await using var h = await PipelineHarness.StartAsync(configure: x => x.Options.MaxVideosInFlight = 1);
        var id = await StartBehindGhostAsync(h, "blue");
        Assert.Null(await h.Client.GetInstanceAsync(id, CancellationToken.None));
        var resource = await ResourceAsync(h, id, CancellationToken.None);
        Assert.Equal((VideoStatuses.Queued, "queued", 1), (resource.Status, resource.Progress?.Stage, resource.Progress?.QueuePosition));

        // The upkeep that starts Queued rows whose trigger was missed leaves a video in line alone, however old.
        var starter = h.Service<Orchestration.VideoStarter>();
        Assert.Equal(0, await starter.SettleStaleAsync(h.Client, TimeSpan.Zero, DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None));
        Assert.Null(await h.Client.GetInstanceAsync(id, CancellationToken.None));
        Assert.Equal(VideoStatuses.Queued, (await h.Service<ResultStore>().GetAsync(id, CancellationToken.None))!.Status);

        // The ghost's release hands the slot on with the video's job, and the hand-off starts it, admitted.
        var handed = await h.Service<AdmissionStore>().ReleaseAsync(new VideoJob("ghost", "videos", "ghost.mp4", "0x1", DateTimeOffset.UtcNow), CancellationToken.None, admitted: true);
        Assert.Equal([id], Ids(handed));
        await starter.WakeAsync(h.Client, handed, CancellationToken.None);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var done = await h.WaitForEndAsync(id, cts.Token);
        Assert.Equal(VideoStatuses.Completed, done.ReadOutputAs<VideoOutcome>()!.Status);
        Assert.Null(done.ReadInputAs<VideoJob>()!.QueuePosition);
        Assert.NotNull(done.ReadInputAs<VideoJob>()!.AdmittedAt);

        // Started again (its release ran twice), a finished video is not run again.
        await starter.WakeAsync(h.Client, [new HandedSlot(id, null)], CancellationToken.None);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await h.Client.GetInstanceAsync(id, CancellationToken.None))!.RuntimeStatus);
    }

    /// <summary>A <paramref name="colour"/> clip uploaded and started behind the ghost of <see cref="GhostHoldsTheSlotAsync"/>: it waits in line.</summary>
    private static async Task<string> StartBehindGhostAsync(PipelineHarness h, string colour)
    {
        await GhostHoldsTheSlotAsync(h);
        var (name, etag) = await h.UploadAsync(await TestVideos.ColourAsync(h.Scratch, colour, 160, 120, 25, 2));
        return await h.StartAsync(name, etag);
    }

    /// <summary>The video as the API answers for it.</summary>
    private static async Task<Api.VideoResource> ResourceAsync(PipelineHarness h, string id, CancellationToken cancellationToken)
    {
        var response = await h.Service<Api.VideoApi>().GetVideoAsync(h.Client, id, cancellationToken);
        return System.Text.Json.JsonSerializer.Deserialize<Api.VideoResource>(response.Json, PipelineJson.Options)!;
    }

    /// <summary>The one slot held, since now, by "ghost", a video whose row is already final: it will never hand the slot on.</summary>
    private static async Task GhostHoldsTheSlotAsync(PipelineHarness h)
    {
        var ghost = new VideoJob("ghost", "videos", "ghost.mp4", "0x1", DateTimeOffset.UtcNow);
        await h.Service<ResultStore>().TryInsertAsync(VideoRow.Of(ghost, VideoStatuses.Failed), CancellationToken.None);
        await WriteHoldersAsync(h, new { Id = "ghost", Since = DateTimeOffset.UtcNow });
    }

    /// <summary>Replaces the slot holders with <paramref name="holders"/> (objects with Id, Since and By, as the store writes them).</summary>
    private static async Task WriteHoldersAsync(PipelineHarness h, params object[] holders)
    {
        var admission = AdmissionTable(h);
        await admission.CreateIfNotExistsAsync();
        await admission.UpsertEntityAsync(
            new Azure.Data.Tables.TableEntity("slots", "holders") { ["Holders"] = System.Text.Json.JsonSerializer.Serialize(holders) });
    }

    /// <summary>The admission table, as the store uses it.</summary>
    private static Azure.Data.Tables.TableClient AdmissionTable(PipelineHarness h) => new(h.Options.StorageConnectionString, h.Options.AdmissionTable);

    /// <summary>How many places in line the table holds.</summary>
    private static async Task<int> PlacesAsync(Azure.Data.Tables.TableClient admission) =>
        await admission.QueryAsync<Azure.Data.Tables.TableEntity>("PartitionKey eq 'waiting'").CountAsync();

    private static void AssertSweep((IReadOnlyList<HandedSlot> Woken, bool Waiting) outcome, string[] woken, bool waiting)
    {
        Assert.Equal(woken, Ids(outcome.Woken));
        Assert.Equal(waiting, outcome.Waiting);
    }

    private static string[] Ids(IReadOnlyList<HandedSlot> handed) => [.. handed.Select(h => h.VideoId)];

    [Fact]
    public async Task With_one_slot_videos_run_one_after_another_and_the_waiting_ones_show_their_place()
    {
        var exported = new List<System.Diagnostics.Activity>();
        using var tracing = OpenTelemetry.Sdk.CreateTracerProviderBuilder().AddSource(PipelineTelemetry.SourceName).AddInMemoryExporter(exported).Build();
        await using var h = await PipelineHarness.StartAsync(configure: x => x.Options.MaxVideosInFlight = 1);
        // Encoded and uploaded first, then started together: a short video is done in well under a second, so one
        // started while the next is still being encoded would leave nobody waiting.
        var uploads = new List<(string Name, string ETag)>();
        foreach (var colour in new[] { "red", "green", "blue" })
        {
            uploads.Add(await h.UploadAsync(await TestVideos.ColourAsync(h.Scratch, colour, 160, 120, 25, 2)));
        }

        var ids = new List<string>();
        foreach (var (name, etag) in uploads)
        {
            ids.Add(await h.StartAsync(name, etag));
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        // The API shows a waiting video's place, read from the line (it has no orchestration until a slot is handed
        // to it): the last one waits behind the second, which is next.
        var places = new HashSet<(string Id, int Position)>();
        var allFinal = false;
        while (!(places.Contains((ids[1], 1)) && places.Contains((ids[2], 2))) && !allFinal && !cts.IsCancellationRequested)
        {
            allFinal = true;
            foreach (var id in ids)
            {
                var resource = await ResourceAsync(h, id, cts.Token);
                allFinal &= VideoStatuses.IsFinal(resource.Status);
                if (resource.Progress is { Stage: "queued", QueuePosition: { } position })
                {
                    places.Add((id, position));
                }
            }

            await Task.Delay(20, CancellationToken.None);
        }

        Assert.True(places.Contains((ids[1], 1)) && places.Contains((ids[2], 2)),
            $"the waiting videos were not seen at their places: {string.Join(", ", places)}\n{await DescribeAsync(h, ids)}");
        var spans = new List<(DateTimeOffset Start, DateTimeOffset End)>();
        foreach (var id in ids)
        {
            OrchestrationMetadata done;
            try
            {
                done = await h.WaitForEndAsync(id, cts.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"not every video was final within 3 minutes:\n{await DescribeAsync(h, ids)}");
                throw;
            }

            Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{done.RuntimeStatus}: {done.FailureDetails?.ErrorMessage} {done.SerializedOutput}");
            Assert.Equal(VideoStatuses.Completed, done.ReadOutputAs<VideoOutcome>()!.Status);
            var row = Assert.Single(await h.RowsAsync(h.VideoRows, id));
            spans.Add((row.GetDateTimeOffset("StartedAt")!.Value, row.GetDateTimeOffset("CompletedAt")!.Value));
        }

        var ordered = spans.OrderBy(s => s.Start).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            Assert.True(ordered[i].Start >= ordered[i - 1].End, $"video {i} started at {ordered[i].Start:O} before the one ahead ended at {ordered[i - 1].End:O}");
            // Woken by the finishing video, not by the 10 s re-check.
            Assert.True(ordered[i].Start - ordered[i - 1].End < TimeSpan.FromSeconds(5), $"video {i} waited {ordered[i].Start - ordered[i - 1].End} after a slot freed");
        }

        // The starter found the waiting ones their place: each video ran one activity, the ask that admitted it.
        tracing.ForceFlush();
        foreach (var id in ids)
        {
            var activities = exported.Where(s => (string?)s.GetTagItem(TelemetryTags.VideoId) == id && s.DisplayName == TaskNames.PrepareVideo).ToList();
            Assert.True(activities.Count == 1, $"{id} asked {activities.Count} times: {string.Join(", ", activities.Select(a => a.GetTagItem(TelemetryTags.QueuePosition)))}");
        }
    }

    /// <summary>Each instance's state, for a failure message: where a stalled run stands.</summary>
    private static async Task<string> DescribeAsync(PipelineHarness h, IEnumerable<string> ids)
    {
        var lines = new List<string>();
        foreach (var id in ids)
        {
            var instance = await h.Client.GetInstanceAsync(id, getInputsAndOutputs: true, CancellationToken.None);
            lines.Add($"{id}: {instance?.RuntimeStatus} {instance?.SerializedCustomStatus} updated {instance?.LastUpdatedAt:O}");
        }

        return string.Join('\n', lines);
    }
}
