namespace ServerlessVideo.Pipeline.Api;

/// <summary>
/// The query of <c>GET /api/videos</c>, as the caller wrote it (checked by <see cref="VideoApi"/>): page size and cursor;
/// <paramref name="Status"/> (Queued, Running, Completed, Failed); <paramref name="Label"/>, the top label, or with
/// <paramref name="MinConfidence"/> any of the video's labels at that confidence or more.
/// </summary>
public sealed record VideoListQuery(string? Limit = null, string? Cursor = null, string? Status = null, string? Label = null, string? MinConfidence = null);
