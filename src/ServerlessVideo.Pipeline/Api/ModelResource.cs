using ServerlessVideo.Core.Results;

namespace ServerlessVideo.Pipeline.Api;

/// <summary>One model's result for a video.</summary>
public sealed record ModelResource(string Id, string Family, IReadOnlyList<LabelScore> Labels, string Provider, int Clips, double InferenceMs)
{
    /// <summary>The label space of <see cref="Labels"/>.</summary>
    public string? LabelSpace { get; init; }

    /// <summary>Completed, or Failed (no labels) with <see cref="ReasonCode"/> and <see cref="Message"/>.</summary>
    public string Status { get; init; } = Messages.VideoStatuses.Completed;

    public string? ReasonCode { get; init; }

    public string? Message { get; init; }
}
