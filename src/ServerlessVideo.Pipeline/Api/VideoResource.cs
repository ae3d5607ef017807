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
    /// <summary>The video's answer: the best label of <see cref="Labels"/>, or <c>unknown</c> when the consensus is below the open-set threshold.</summary>
    public string? Label { get; init; }
    /// <summary>The consensus of the first block of <see cref="Consensus"/>, best first (the candidates, also when <see cref="Label"/> is unknown).</summary>
    public IReadOnlyList<LabelScore>? Labels { get; init; }
    public string? MajorityLabel { get; init; }
    public double? Agreement { get; init; }
    /// <summary>The label space of <see cref="Labels"/>.</summary>
    public string? LabelSpace { get; init; }
    /// <summary>One consensus per label space of the models that ran, the video's answer first; spaces are never mixed.</summary>
    public IReadOnlyList<ConsensusBlock>? Consensus { get; init; }
    public string? Provider { get; init; }
    public IReadOnlyList<ModelResource>? Models { get; init; }
    /// <summary>Models that did not run for this video and why (e.g. <c>MODEL_UNAVAILABLE</c>: it cannot load); omitted when all ran.</summary>
    public IReadOnlyList<UnavailableModel>? UnavailableModels { get; init; }
    /// <summary>Models that ran but failed for this video (after a retry), and why; the video's labels come from the others. Omitted when none failed.</summary>
    public IReadOnlyList<UnavailableModel>? FailedModels { get; init; }
    public IReadOnlyDictionary<string, double>? TimingsMs { get; init; }
    public required string Url { get; init; }
}
