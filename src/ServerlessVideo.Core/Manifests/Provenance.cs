namespace ServerlessVideo.Core.Manifests;

/// <summary>Where a model comes from and what it was measured to do.</summary>
public sealed record Provenance
{
    /// <summary>How it was made: a training command, an export script, or a generator.</summary>
    public string? Source { get; init; }

    public string? Licence { get; init; }

    public string? Notes { get; init; }

    /// <summary>Free-form metrics (accuracy, parameters, FLOPs, ms per clip) as measured by whoever made it.</summary>
    public IReadOnlyDictionary<string, double>? Metrics { get; init; }
}
