using System.Globalization;

namespace ServerlessVideo.Core.Manifests;

/// <summary>Optical flow for a flow input: the algorithm (<c>farneback</c> or <c>tvl1</c>) and the quantisation bound in pixels.</summary>
public sealed record FlowSpec(string Algorithm, double Bound)
{
    /// <summary>A short name, used as a blob-path segment and to share one flow computation between models.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Key => string.Create(CultureInfo.InvariantCulture, $"flow-{Algorithm}-b{Bound:R}");
}
