namespace ServerlessVideo.Pipeline.Messages;

/// <summary>Input of the video orchestration: which blob version to classify. The instance id equals <see cref="VideoId"/>.</summary>
public sealed record VideoJob(string VideoId, string Container, string BlobName, string ETag, DateTimeOffset SubmittedAt) : IVideoMessage
{
    /// <summary>
    /// The place in line the starter found for the video (1 = next) when every slot was taken: the orchestration then
    /// waits to be woken before its first ask, instead of asking only to learn it must wait. Null when the starter did
    /// not ask or the video was admitted.
    /// </summary>
    public int? QueuePosition { get; init; }

    /// <summary>
    /// The starter put the video in line with the <see cref="Orchestration.AdmissionWatch"/> running: it waits for its
    /// wake-up alone. False in jobs started before the watch existed (their histories re-check on a timer, and replay so).
    /// </summary>
    public bool Watched { get; init; }

    /// <summary>
    /// The ETag of the video's row as the starter wrote (or read) it, Queued: the first activity marks the row Running
    /// on that condition alone, without reading it first. Null when unknown; a stale one costs that read.
    /// </summary>
    public string? RowETag { get; init; }

    /// <summary>When the starter took a free slot for the video (its first activity need not ask again); null otherwise.</summary>
    public DateTimeOffset? AdmittedAt { get; init; }

    /// <summary>The job with nothing known of its slot: no place in line, no watch, not admitted.</summary>
    public VideoJob WithoutSlot() => this with { QueuePosition = null, Watched = false, AdmittedAt = null };
}
