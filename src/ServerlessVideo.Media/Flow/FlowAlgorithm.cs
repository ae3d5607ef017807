namespace ServerlessVideo.Media.Flow;

/// <summary>
/// Dense optical-flow algorithms a model can ask for. Manifests spell them <c>"farneback"</c> and <c>"tvl1"</c>
/// (see <see cref="FlowAlgorithmNames"/>).
/// </summary>
public enum FlowAlgorithm
{
    /// <summary>Farnebäck polynomial-expansion flow, computed by OpenCV (<see cref="FarnebackFlow"/>).</summary>
    Farneback,

    /// <summary>Zach–Pock–Bischof dual TV-L1 flow, computed by the managed <see cref="TvL1Flow"/>.</summary>
    TvL1,
}
