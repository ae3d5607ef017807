namespace ServerlessVideo.Media.Flow;

/// <summary>The manifest spelling of <see cref="FlowAlgorithm"/> values: <c>"farneback"</c> and <c>"tvl1"</c>.</summary>
public static class FlowAlgorithmNames
{
    /// <summary>Manifest name of <see cref="FlowAlgorithm.Farneback"/>.</summary>
    public const string Farneback = "farneback";

    /// <summary>Manifest name of <see cref="FlowAlgorithm.TvL1"/>.</summary>
    public const string TvL1 = "tvl1";

    /// <summary>Every accepted name, in declaration order of <see cref="FlowAlgorithm"/>.</summary>
    public static IReadOnlyList<string> All { get; } = [Farneback, TvL1];

    /// <summary>The manifest name of <paramref name="algorithm"/>.</summary>
    public static string ToName(FlowAlgorithm algorithm) => algorithm switch
    {
        FlowAlgorithm.Farneback => Farneback,
        FlowAlgorithm.TvL1 => TvL1,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown optical-flow algorithm."),
    };

    /// <summary>Parses a manifest name (exact, lower case as written in manifests; surrounding blanks are ignored).</summary>
    public static bool TryParse(string? name, out FlowAlgorithm algorithm)
    {
        switch (name?.Trim())
        {
            case Farneback:
                algorithm = FlowAlgorithm.Farneback;
                return true;
            case TvL1:
                algorithm = FlowAlgorithm.TvL1;
                return true;
            default:
                algorithm = default;
                return false;
        }
    }

    /// <summary>Parses a manifest name or throws an <see cref="ArgumentException"/> that lists the allowed names.</summary>
    public static FlowAlgorithm Parse(string? name) =>
        TryParse(name, out var algorithm)
            ? algorithm
            : throw new ArgumentException(
                $"Unknown optical-flow algorithm '{name}'; allowed: {string.Join(", ", All.Select(n => $"\"{n}\""))}.",
                nameof(name));
}
