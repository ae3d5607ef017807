using ServerlessVideo.Core.Manifests;

namespace ServerlessVideo.Pipeline.Api;

/// <summary>The models part of <see cref="HealthResource"/>.</summary>
/// <param name="Available">Models that load and are planned for every video.</param>
/// <param name="Unavailable">Models that cannot load: id, reason code (<c>MODEL_UNAVAILABLE</c>) and message.</param>
/// <param name="Error">Why no model could be listed at all (models folder missing or empty); omitted otherwise.</param>
public sealed record ModelsHealth(int Available, IReadOnlyList<UnavailableModel> Unavailable, string? Error);
