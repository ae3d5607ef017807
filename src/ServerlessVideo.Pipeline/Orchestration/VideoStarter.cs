using Azure;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using ServerlessVideo.Core;
using ServerlessVideo.Pipeline.Messages;
using ServerlessVideo.Pipeline.Storage;

namespace ServerlessVideo.Pipeline.Orchestration;

/// <summary>
/// Starts the orchestration for one uploaded blob version, at most once: the instance id derives from
/// (container, name, ETag); a video whose row is final, or that has an instance, is left alone, and "already exists" from
/// the scheduler counts as success. Every host's trigger goes through here.
/// </summary>
/// <remarks>
/// With an <see cref="AdmissionStore"/>, the starter also asks for a processing slot: a video that must wait gets a
/// place in line carrying its job and no orchestration yet; the release that hands it a slot starts it
/// (<see cref="WakeAsync"/>), so a waiting video costs no orchestration episode while it waits, nor one to wake it.
/// </remarks>
public sealed partial class VideoStarter(ResultStore results, VideoFileCache files, ILogger<VideoStarter> logger, AdmissionStore? admission = null)
{
    /// <summary>When (<see cref="Environment.TickCount64"/>) this process last made sure the admission watch runs.</summary>
    private long _watchEnsuredAt = long.MinValue / 2;

    /// <summary>
    /// Records an upload as Queued before any trigger has seen it, so its id answers at once (a client that uploads
    /// calls this with the ETag the upload returned). Returns the video id.
    /// </summary>
    public async Task<string> RecordSubmittedAsync(string container, string blobName, string etag, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var job = JobOf(container, blobName, etag, now);
        await InsertQueuedAsync([job], cancellationToken);
        return job.VideoId;
    }

    /// <summary>
    /// Settles every row Queued for longer than <paramref name="grace"/> with no orchestration behind it: a blob version
    /// that still exists is started (its trigger was missed), one deleted or overwritten meanwhile ends Failed with
    /// <see cref="ReasonCodes.NotFound"/>. Nothing stays Queued forever. Returns how many rows it settled.
    /// </summary>
    public async Task<int> SettleStaleAsync(DurableTaskClient client, TimeSpan grace, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settled = 0;
        HashSet<string>? inLine = null;
        foreach (var row in await results.ListQueuedAsync(now - grace, cancellationToken))
        {
            if (row.Container is null || row.BlobName is null || row.BlobETag is null)
            {
                continue;
            }

            // A video waiting in line has no orchestration until it is handed a slot.
            inLine ??= admission is null ? [] : await admission.WaitingIdsAsync(cancellationToken);
            if (inLine.Contains(row.PartitionKey)
                || await client.GetInstanceAsync(row.PartitionKey, getInputsAndOutputs: false, cancellationToken) is not null)
            {
                continue;
            }

            settled++;
            if (await files.FindSizeAsync(row.BlobName, row.BlobETag, cancellationToken) is not null)
            {
                await StartAsync(client, row.Container, row.BlobName, row.BlobETag, row.SubmittedAt ?? now, cancellationToken);
                continue;
            }

            row.Status = VideoStatuses.Failed;
            row.ReasonCode = ReasonCodes.NotFound;
            row.Message = $"Blob '{row.Container}/{row.BlobName}' with ETag {row.BlobETag} was deleted or overwritten before it was processed.";
            row.CompletedAt = now;
            await results.MergeAsync(row, cancellationToken);
            LogNotFound(logger, row.PartitionKey, row.BlobName);
        }

        return settled;
    }

    /// <summary>
    /// Starts the video unless it is final or has an instance. A new video costs one conditional insert before its
    /// start: the insert succeeding says it has no row, and so no instance (a row is written before its instance is
    /// scheduled, and deleting a video purges its instance first). Only a video that has a row is looked at further.
    /// </summary>
    public async Task<string> StartAsync(DurableTaskClient client, string container, string blobName, string etag, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await StartManyAsync(client, [new Upload(container, blobName, etag)], now, cancellationToken))[0];

    /// <summary>One uploaded blob version to start.</summary>
    public sealed record Upload(string Container, string BlobName, string ETag);

    /// <summary>
    /// <see cref="StartAsync"/> for uploads found together (a watcher's listing): each is inserted and started as on its
    /// own, but their index entries are written together and their slots asked for in one go (see
    /// <see cref="AdmissionStore.TryAdmitManyAsync"/>), so a batch dropped at once costs a few admission requests in
    /// all rather than two per video. Returns the video ids, in order.
    /// </summary>
    public async Task<IReadOnlyList<string>> StartManyAsync(DurableTaskClient client, IReadOnlyList<Upload> uploads, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uploads);
        // A tick apart, so that the line keeps the order they were found in.
        var jobs = uploads.Select((u, i) => JobOf(u.Container, u.BlobName, u.ETag, now.AddTicks(i))).ToList();
        var inserted = await InsertQueuedAsync(jobs, cancellationToken);
        var starting = new List<VideoJob>(jobs.Count);
        for (var i = 0; i < jobs.Count; i++)
        {
            if (inserted[i] is { } etag)
            {
                starting.Add(jobs[i] with { RowETag = etag.ToString() });
            }
            else if (await UnstartedAsync(client, jobs[i], cancellationToken) is { } recorded)
            {
                starting.Add(recorded);
            }
        }

        bool? watching = null;
        foreach (var job in await AskForSlotsAsync(starting, cancellationToken))
        {
            if (job.QueuePosition is { } position)
            {
                watching ??= await TryEnsureAdmissionWatchAsync(client, cancellationToken);
                if (watching.Value)
                {
                    // In line, with its job in its place: the hand-off that gives it a slot starts it (WakeAsync).
                    LogInLine(logger, job.VideoId, position);
                    continue;
                }

                // No watch to cover a lost hand-off: its orchestration waits, and asks again on a timer of its own.
            }

            try
            {
                await client.ScheduleNewOrchestrationInstanceAsync(
                    TaskNames.VideoOrchestration, job, new StartOrchestrationOptions(job.VideoId), cancellationToken);
                LogStarted(logger, job.VideoId, job.BlobName);
            }
            catch (Exception ex) when (IsAlreadyExists(ex))
            {
                LogAlreadyStarted(logger, job.VideoId);
            }
        }

        return [.. jobs.Select(j => j.VideoId)];
    }

    /// <summary>
    /// For a video that has a row already (recorded by <c>sv submit</c>, or by a watcher or trigger that got there
    /// first, or started before): its job to start, with the row's submission time; null when it is final or has an
    /// instance.
    /// </summary>
    private async Task<VideoJob?> UnstartedAsync(DurableTaskClient client, VideoJob job, CancellationToken cancellationToken)
    {
        var row = await results.GetAsync(job.VideoId, cancellationToken);
        if (row is not null && VideoStatuses.IsFinal(row.Status)
            || await client.GetInstanceAsync(job.VideoId, getInputsAndOutputs: false, cancellationToken) is not null)
        {
            return null;
        }

        // A video is submitted once: when its Queued row was recorded. Every later write carries the job's time, and
        // the list's index is keyed by it.
        return row?.SubmittedAt is { } recorded ? job with { SubmittedAt = recorded, RowETag = row.ETag.ToString() } : job;
    }

    /// <summary>
    /// The jobs, each with its place in line when no slot is free for it. An admitted video keeps its slot for the
    /// orchestration's first ask; when the ask fails, the orchestrations ask themselves.
    /// </summary>
    private async Task<IReadOnlyList<VideoJob>> AskForSlotsAsync(IReadOnlyList<VideoJob> jobs, CancellationToken cancellationToken)
    {
        if (admission is null || jobs.Count == 0)
        {
            return jobs;
        }

        try
        {
            var answers = await admission.TryAdmitManyAsync(jobs, cancellationToken);
            return [.. jobs.Select((job, i) => answers[i].Admitted
                ? job with { AdmittedAt = DateTimeOffset.UtcNow }
                : job with { QueuePosition = answers[i].Position })];
        }
        catch (RequestFailedException ex)
        {
            foreach (var job in jobs)
            {
                LogAskFailed(logger, job.VideoId, ex.Message);
            }

            return jobs;
        }
    }

    /// <summary>
    /// Starts or wakes the videos a hand-off gave a slot to (best effort: one left unstarted is named again by the
    /// <see cref="AdmissionWatch"/> after <see cref="AdmissionStore.RewakeAfter"/>). One handed a slot from its place in
    /// line starts with the job that place carried, admitted now, so its first activity does not ask again; if it has an
    /// orchestration already (it asked for its slot itself), that one gets the wake-up event. One named again is woken
    /// if its orchestration waits, or started from its row if it has none and is still Queued.
    /// </summary>
    public async Task WakeAsync(DurableTaskClient client, IReadOnlyList<HandedSlot> handed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handed);
        foreach (var slot in handed)
        {
            try
            {
                await WakeOneAsync(client, slot, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogWakeFailed(logger, slot.VideoId, ex.Message);
            }
        }
    }

    private async Task WakeOneAsync(DurableTaskClient client, HandedSlot slot, CancellationToken cancellationToken)
    {
        var job = slot.Job;
        if (job is null)
        {
            var instance = await client.GetInstanceAsync(slot.VideoId, getInputsAndOutputs: false, cancellationToken);
            if (instance is not null)
            {
                if (!instance.IsCompleted)
                {
                    await client.RaiseEventAsync(slot.VideoId, TaskNames.AdmittedEvent, true, cancellationToken);
                }

                return;
            }

            var row = await results.GetAsync(slot.VideoId, cancellationToken);
            if (row is not { Status: VideoStatuses.Queued, Container: { } container, BlobName: { } blobName, BlobETag: { } etag })
            {
                return;
            }

            job = JobOf(container, blobName, etag, row.SubmittedAt ?? DateTimeOffset.UtcNow) with { RowETag = row.ETag.ToString() };
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                TaskNames.VideoOrchestration,
                job.WithoutSlot() with { AdmittedAt = DateTimeOffset.UtcNow },
                new StartOrchestrationOptions(job.VideoId),
                cancellationToken);
            LogHandedStart(logger, job.VideoId);
        }
        catch (Exception ex) when (IsAlreadyExists(ex))
        {
            await client.RaiseEventAsync(job.VideoId, TaskNames.AdmittedEvent, true, cancellationToken);
        }
    }

    /// <summary>
    /// Makes sure the <see cref="AdmissionWatch"/> runs while any video is in line: for a host's periodic upkeep, which
    /// thereby covers a video put in line just as the watch ended.
    /// </summary>
    public async Task WatchLineAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        if (admission is not null && await admission.AnyWaitingAsync(cancellationToken))
        {
            await TryEnsureAdmissionWatchAsync(client, cancellationToken);
        }
    }

    /// <summary>
    /// Starts the <see cref="AdmissionWatch"/> unless it runs: once a second at most from this process, so a batch put
    /// in line at once costs one start. A video waits for its wake-up alone only with a watch
    /// running: false when it could not be started, and the video then re-checks on a timer of its own.
    /// </summary>
    private async Task<bool> TryEnsureAdmissionWatchAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var at = Environment.TickCount64;
        if (at - Interlocked.Read(ref _watchEnsuredAt) < 1000)
        {
            return true;
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                TaskNames.AdmissionWatch, 0, new StartOrchestrationOptions(TaskNames.AdmissionWatchId), cancellationToken);
        }
        catch (Exception ex) when (IsAlreadyExists(ex))
        {
            // Running already.
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogWatchFailed(logger, ex.Message);
            return false;
        }

        Interlocked.Exchange(ref _watchEnsuredAt, at);
        return true;
    }

    private static VideoJob JobOf(string container, string blobName, string etag, DateTimeOffset now) =>
        new(VideoIds.FromBlob(container, blobName, etag), container, blobName, etag.Trim('"'), now);

    /// <summary>Each job's Queued row, unless the video has a row already; each one's ETag, or null.</summary>
    private Task<IReadOnlyList<ETag?>> InsertQueuedAsync(IReadOnlyList<VideoJob> jobs, CancellationToken cancellationToken) =>
        results.TryInsertManyAsync([.. jobs.Select(job => VideoRow.Of(job, VideoStatuses.Queued))], cancellationToken);

    private static bool IsAlreadyExists(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e.GetType().Name.Contains("AlreadyExists", StringComparison.Ordinal)
                || e.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Started video {VideoId} for blob {BlobName}")]
    private static partial void LogStarted(ILogger logger, string videoId, string blobName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Video {VideoId}: blob {BlobName} was gone before it was processed")]
    private static partial void LogNotFound(ILogger logger, string videoId, string blobName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Video {VideoId}: asking for a processing slot failed ({Message}); its orchestration will ask")]
    private static partial void LogAskFailed(ILogger logger, string videoId, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Starting the admission watch failed ({Message}); a video put in line asks for its slot itself")]
    private static partial void LogWatchFailed(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Video {VideoId} waits in line at {Position}")]
    private static partial void LogInLine(ILogger logger, string videoId, int position);

    [LoggerMessage(Level = LogLevel.Information, Message = "Video {VideoId} was handed a slot and started")]
    private static partial void LogHandedStart(ILogger logger, string videoId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Video {VideoId}: starting or waking it after its slot was handed on failed ({Message}); the admission watch names it again")]
    private static partial void LogWakeFailed(ILogger logger, string videoId, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Video {VideoId} was already started")]
    private static partial void LogAlreadyStarted(ILogger logger, string videoId);
}
