namespace ServerlessVideo.Pipeline.Telemetry;

/// <summary>
/// Attribute names on the pipeline's spans and metrics. One namespace (<c>sv.</c>) for both, so a query can join a
/// span to the metric points of the same stage or status.
/// </summary>
public static class TelemetryTags
{
    /// <summary>The video id; on spans only (one value per video would explode metric cardinality).</summary>
    public const string VideoId = "sv.video_id";

    /// <summary>Pipeline stage: <c>start</c>, <c>probe</c>, <c>plan</c>, <c>extract</c>, <c>flow</c>, <c>infer</c>, <c>write</c>, <c>cleanup</c>, <c>video</c>.</summary>
    public const string Stage = "sv.stage";

    /// <summary>Storage service of a request: <c>blob</c> or <c>table</c>.</summary>
    public const string StorageService = "sv.storage_service";

    /// <summary>HTTP method of a storage request.</summary>
    public const string Method = "sv.method";

    /// <summary>Durable task name, on the task-duration histogram.</summary>
    public const string Task = "sv.task";

    /// <summary><c>ok</c> or <c>error</c>: how a task run ended.</summary>
    public const string Outcome = "sv.outcome";

    public const string ModelId = "sv.model_id";

    /// <summary>Frame view key (fps, size, crop, clip length), as in the artifact blob names.</summary>
    public const string View = "sv.view";

    /// <summary>Optical-flow key (algorithm and bound).</summary>
    public const string Flow = "sv.flow";

    public const string Segment = "sv.segment";

    /// <summary>Clips handled by the span: extracted, flowed or inferred; planned for the plan.</summary>
    public const string Clips = "sv.clips";

    /// <summary>
    /// Bytes moved by the span: the video's size for the probe, uint8 frame/flow tensor bytes written by extraction and
    /// flow, tensor bytes read by inference.
    /// </summary>
    public const string Bytes = "sv.bytes";

    /// <summary>ONNX Runtime execution provider that actually ran (e.g. <c>CPUExecutionProvider</c>).</summary>
    public const string Provider = "sv.provider";

    /// <summary>Whether ffmpeg read the video from storage with range requests rather than from a downloaded copy.</summary>
    public const string Streamed = "sv.streamed";

    public const string Views = "sv.views";

    public const string Segments = "sv.segments";

    public const string Models = "sv.models";

    /// <summary>Artifact blobs deleted by the clean-up.</summary>
    public const string Blobs = "sv.blobs";

    /// <summary>Place in line of a video waiting for a processing slot (1 = next).</summary>
    public const string QueuePosition = "sv.queue_position";

    /// <summary>Final status of a video (<c>Completed</c>, <c>Failed</c>).</summary>
    public const string Status = "sv.status";

    /// <summary>Machine-readable reason a video failed or was refused (<see cref="Core.ReasonCodes"/>).</summary>
    public const string ReasonCode = "sv.reason_code";
}
