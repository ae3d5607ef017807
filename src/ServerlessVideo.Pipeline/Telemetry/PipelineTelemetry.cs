using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using ServerlessVideo.Pipeline.Messages;

namespace ServerlessVideo.Pipeline.Telemetry;

/// <summary>
/// The pipeline's traces and metrics: one <see cref="ActivitySource"/> (<see cref="SourceName"/>) whose spans are the
/// runs of the durable activities, and one <see cref="Meter"/> (<see cref="MeterName"/>) that counts finished videos
/// and times stages and tasks. Hosts only choose exporters.
/// </summary>
/// <remarks>
/// <para>
/// One trace per video, the same in every process, worker, retry and replay: its trace id is derived from the video id
/// (<see cref="TraceIdOf"/>), and each activity's span is started with a parent context in that trace instead of the
/// ambient span (a Functions invocation, a durable engine span), which is linked instead. The orchestrator never
/// starts a span: it replays, so a span there would be emitted once per replay with fresh ids.
/// </para>
/// <para>
/// The parent span id, also derived from the video id, belongs to no exported span: the video as a whole is known only
/// to the orchestration. <see cref="RecordVideo"/> (called by the final activity) adds a sibling span named
/// <see cref="TaskNames.VideoOrchestration"/> that covers the video's wall time from the orchestration's own clock.
/// </para>
/// </remarks>
public sealed class PipelineTelemetry : IDisposable
{
    /// <summary>Name of the <see cref="ActivitySource"/> to listen to.</summary>
    public const string SourceName = "ServerlessVideo.Pipeline";

    /// <summary>Name of the <see cref="Meter"/> to listen to.</summary>
    public const string MeterName = "ServerlessVideo.Pipeline";

    /// <summary>Counter of finished videos, tagged <see cref="TelemetryTags.Status"/> and, when failed, <see cref="TelemetryTags.ReasonCode"/>.</summary>
    public const string VideosCounter = "sv.videos";

    /// <summary>Histogram of stage wall time in ms (orchestration clock), tagged <see cref="TelemetryTags.Stage"/>.</summary>
    public const string StageDurationHistogram = "sv.stage.duration";

    /// <summary>Histogram of a video's wall time in ms from start to its final row, tagged like <see cref="VideosCounter"/>.</summary>
    public const string VideoDurationHistogram = "sv.video.duration";

    /// <summary>Histogram of one activity run in ms, tagged <see cref="TelemetryTags.Task"/> and <see cref="TelemetryTags.Outcome"/>.</summary>
    public const string TaskDurationHistogram = "sv.task.duration";

    /// <summary>
    /// Counter of requests the pipeline's own storage clients send (each try), tagged <see cref="TelemetryTags.StorageService"/>
    /// and <see cref="TelemetryTags.Method"/>; the durable backend's are not counted.
    /// </summary>
    public const string StorageRequestsCounter = "sv.storage.requests";

    private readonly ActivitySource _source = new(SourceName);
    private readonly Meter _meter;
    private readonly Counter<long> _videos;
    private readonly Histogram<double> _stageDuration;
    private readonly Histogram<double> _videoDuration;
    private readonly Histogram<double> _taskDuration;
    private int _tasksRunning;

    public PipelineTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _videos = _meter.CreateCounter<long>(VideosCounter, "{video}", "Videos that reached a final status.");
        _stageDuration = _meter.CreateHistogram<double>(StageDurationHistogram, "ms", "Wall time of one pipeline stage of one video.");
        _videoDuration = _meter.CreateHistogram<double>(VideoDurationHistogram, "ms", "Wall time of one video from start to its final row.");
        _taskDuration = _meter.CreateHistogram<double>(TaskDurationHistogram, "ms", "Wall time of one activity run.");
        StorageRequests = _meter.CreateCounter<long>(StorageRequestsCounter, "{request}", "Requests sent by the pipeline's own storage clients.");
    }

    /// <summary>The <see cref="StorageRequestsCounter"/> counter, which <see cref="StorageRequestMeter"/> adds to.</summary>
    public Counter<long> StorageRequests { get; }

    /// <summary>The span of the pipeline activity running now, or null (not traced, or another source's span is current).</summary>
    public static Activity? CurrentSpan => Activity.Current is { } current && current.Source.Name == SourceName ? current : null;

    /// <summary>The trace id of a video: the first 16 bytes of the SHA-256 of its id, so every process derives the same one.</summary>
    public static ActivityTraceId TraceIdOf(string videoId) => ActivityTraceId.CreateFromBytes(Hash(videoId).AsSpan(0, 16));

    /// <summary>The context every span of a video is parented to: its trace, and a span id (hash bytes 16–23) nobody exports.</summary>
    public static ActivityContext ContextOf(string videoId)
    {
        var hash = Hash(videoId);
        return new ActivityContext(
            ActivityTraceId.CreateFromBytes(hash.AsSpan(0, 16)), ActivitySpanId.CreateFromBytes(hash.AsSpan(16, 8)), ActivityTraceFlags.Recorded);
    }

    /// <summary><see cref="TelemetryTags.Stage"/> of a task name.</summary>
    public static string StageOf(string taskName) => taskName switch
    {
        TaskNames.PrepareVideo => "probe",
        TaskNames.ExtractFrames => "extract",
        TaskNames.RunInference => "infer",
        TaskNames.WriteResults or TaskNames.RecordFailure => "write",
        TaskNames.VideoOrchestration => "video",
        _ => taskName,
    };

    /// <summary>
    /// Runs one activity inside its span (named <paramref name="taskName"/>, in the trace of the input's video) and
    /// records its duration. Every host calls this around every activity, so they all emit the same spans.
    /// </summary>
    public async Task<TOutput> RunAsync<TInput, TOutput>(string taskName, TInput input, Func<TInput, Task<TOutput>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var started = Stopwatch.GetTimestamp();
        using var span = StartTask(taskName, VideoIdOf(input));
        Interlocked.Increment(ref _tasksRunning);
        try
        {
            var output = await run(input);
            RecordTask(taskName, "ok", started);
            return output;
        }
        catch (Exception ex)
        {
            RecordTask(taskName, "error", started);
            Fail(span, ex);
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref _tasksRunning);
        }
    }

    /// <summary>How many tasks this process runs through <see cref="RunAsync"/> now (one run inside another counts again); zero when none.</summary>
    public int TasksRunning => Volatile.Read(ref _tasksRunning);

    /// <summary>
    /// A video reached its final row: counts it, records its stage durations (ms, as the orchestration measured them
    /// with its replay-safe clock) and its total, and adds the <see cref="TaskNames.VideoOrchestration"/> span over its
    /// wall time. An activity retried after its row was written counts its video again: counts are at least once.
    /// </summary>
    public void RecordVideo(
        string videoId, string status, string? reasonCode, IReadOnlyDictionary<string, double> stageMs, DateTimeOffset startedAt, DateTimeOffset completedAt)
    {
        ArgumentNullException.ThrowIfNull(stageMs);
        var tags = new TagList { { TelemetryTags.Status, status } };
        if (reasonCode is not null)
        {
            tags.Add(TelemetryTags.ReasonCode, reasonCode);
        }

        _videos.Add(1, tags);
        _videoDuration.Record(Math.Max(0, (completedAt - startedAt).TotalMilliseconds), tags);
        foreach (var (stage, ms) in stageMs)
        {
            _stageDuration.Record(ms, new KeyValuePair<string, object?>(TelemetryTags.Stage, stage));
        }

        using var span = _source.StartActivity(
            TaskNames.VideoOrchestration, ActivityKind.Internal, ContextOf(videoId), VideoTags(TaskNames.VideoOrchestration, videoId), startTime: startedAt);
        if (span is null)
        {
            return;
        }

        span.SetTag(TelemetryTags.Status, status);
        span.SetTag(TelemetryTags.ReasonCode, reasonCode);
        if (reasonCode is not null)
        {
            span.SetStatus(ActivityStatusCode.Error, reasonCode);
        }

        // Set before the span stops, so Stop keeps this end instead of now.
        span.SetEndTime(completedAt.UtcDateTime);
    }

    public void Dispose()
    {
        _source.Dispose();
        _meter.Dispose();
    }

    /// <summary>The video an activity input belongs to: a message naming it, or a bare id.</summary>
    private static string? VideoIdOf(object? input) => input switch
    {
        IVideoMessage message => message.VideoId,
        string videoId => videoId,
        _ => null,
    };

    private Activity? StartTask(string taskName, string? videoId)
    {
        if (videoId is null)
        {
            return _source.StartActivity(taskName, ActivityKind.Internal);
        }

        // The ambient span (Functions invocation, durable engine) belongs to another trace: link it, do not parent to it.
        var parent = ContextOf(videoId);
        var ambient = Activity.Current;
        ActivityLink[]? links = ambient is not null && ambient.TraceId != parent.TraceId ? [new ActivityLink(ambient.Context)] : null;
        return _source.StartActivity(taskName, ActivityKind.Internal, parent, VideoTags(taskName, videoId), links);
    }

    private static KeyValuePair<string, object?>[] VideoTags(string taskName, string videoId) =>
        [new(TelemetryTags.VideoId, videoId), new(TelemetryTags.Stage, StageOf(taskName))];

    private void RecordTask(string taskName, string outcome, long started) =>
        _taskDuration.Record(
            Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            new KeyValuePair<string, object?>(TelemetryTags.Task, taskName),
            new KeyValuePair<string, object?>(TelemetryTags.Outcome, outcome));

    private static void Fail(Activity? span, Exception ex)
    {
        if (span is null)
        {
            return;
        }

        span.SetStatus(ActivityStatusCode.Error, ex.Message);
        span.SetTag("error.type", ex.GetType().FullName);
        span.AddException(ex);
    }

    private static byte[] Hash(string videoId)
    {
        ArgumentNullException.ThrowIfNull(videoId);
        return SHA256.HashData(Encoding.UTF8.GetBytes(videoId));
    }
}
