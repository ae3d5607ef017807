using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Core.Results;
using ServerlessVideo.Pipeline.Messages;

namespace ServerlessVideo.Pipeline.Api;

/// <summary>A video as the HTTP API returns it.</summary>
public sealed record VideoResource
{
    public required string Id { get; init; }
    public required string Status { get; init; }
    public string? ReasonCode { get; init; }
    public string? Message { get; init; }
    public string? Blob { get; init; }
    public DateTimeOffset? SubmittedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public VideoProgress? Progress { get; init; }
    public MediaInfo? Media { get; init; }
    public IReadOnlyList<LabelScore>? Labels { get; init; }
    public string? MajorityLabel { get; init; }
    public double? Agreement { get; init; }
    public string? Provider { get; init; }
    public IReadOnlyList<ModelResource>? Models { get; init; }
    /// <summary>Models that did not run for this video and why (e.g. <c>MODEL_UNAVAILABLE</c>: it cannot load); omitted when all ran.</summary>
    public IReadOnlyList<UnavailableModel>? UnavailableModels { get; init; }
    public IReadOnlyDictionary<string, double>? TimingsMs { get; init; }
    public required string Url { get; init; }
}
