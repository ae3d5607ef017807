namespace ServerlessVideo.Host;

/// <summary>Settings of the local host (section <c>Host</c>).</summary>
public sealed class LocalHostOptions
{
    public const string Section = "Host";

    /// <summary>Task hub name; several workers sharing it share the work.</summary>
    public string TaskHub { get; set; } = "serverlessvideo";

    /// <summary>How often the watcher lists the videos container while this worker runs no task.</summary>
    public TimeSpan WatchInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often the watcher lists the videos container while this worker runs tasks. A listing reads every blob in the
    /// container (about 0.1 ms of storage and client CPU per blob), and an upload found while the worker is busy mostly
    /// waits for a processing slot anyway.
    /// </summary>
    public TimeSpan BusyWatchInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often rows left Queued are settled (started, or failed as NOT_FOUND when their blob is gone).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a row may stay Queued with no orchestration before it is settled.</summary>
    public TimeSpan QueuedGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Activities this worker runs at once (ffmpeg and ONNX Runtime are CPU-bound: about one per core).</summary>
    public int MaxConcurrentActivities { get; set; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>
    /// Orchestrations this worker has loaded at once. An episode is light (no I/O), and half of the slots may be
    /// extended sessions (see <see cref="ExtendedSessionIdleTimeout"/>), which hold their slot while they wait: a batch
    /// of 40 short videos read its histories 195 times with 8 slots, 71 times with 64, 40 (once each, at its start) with 128.
    /// </summary>
    public int MaxConcurrentOrchestrations { get; set; } = 128;

    /// <summary>
    /// How long an orchestration stays in memory waiting for its next message (an activity's result, a wake-up) before
    /// it is unloaded; zero turns extended sessions off. In memory, its next episode replays nothing and reads no
    /// history from storage: each episode otherwise queries the history table and replays from the start.
    /// </summary>
    public TimeSpan ExtendedSessionIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a dead worker's work stays invisible before another worker takes it (queue visibility and partition
    /// lease). Short values recover faster after a crash; each activity must finish well within it or be re-run.
    /// </summary>
    public TimeSpan RecoveryTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Control-queue partitions of a new task hub (an existing hub keeps the count it was created with). Orchestrations
    /// are spread over the workers by partition; activities, the heavy part, go to any worker whatever the count. Each
    /// partition is a queue every worker polls many times a second while videos run, so one suits a single worker (a
    /// batch of short videos costs a tenth fewer storage requests, and a third fewer queue polls, than with four); give
    /// several workers one each.
    /// </summary>
    public int Partitions { get; set; } = 1;

    /// <summary>How long the durable history of a completed video is kept (its results stay in the tables); zero keeps it for ever.</summary>
    public TimeSpan HistoryRetention { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often completed histories older than <see cref="HistoryRetention"/> are purged.</summary>
    public TimeSpan HistoryPurgeInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long the durable dispatchers pause between work items after one has failed (rounded up to whole seconds),
    /// until five succeed. The backend's own 10 s let only one orchestration episode through every 10 s after a
    /// storage outage, long enough for the waiting episodes' messages to time out and fail again.
    /// </summary>
    public TimeSpan FailureBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between queue polls when idle.</summary>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Table of (blob, ETag) claims that keeps the watcher from starting a video twice.</summary>
    public string ClaimsTable { get; set; } = "claims";

    /// <summary>
    /// How long a stop (Ctrl-C, SIGTERM) waits for in-flight work before stopping by force; unfinished activities
    /// return to the task hub and run again.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Run the blob watcher (off for workers that only take work from the task hub).</summary>
    public bool Watch { get; set; } = true;
}
