namespace ServerlessVideo.Pipeline.Api;

/// <summary>
/// <c>GET /api/health</c>. <see cref="Status"/> is <c>ok</c> (every model loads, storage answers; HTTP 200),
/// <c>degraded</c> (storage answers but some or all models cannot load: videos run with the others, or fail with
/// <c>MODEL_UNAVAILABLE</c> when none is left; HTTP 200), or <c>unavailable</c> (storage does not answer within the
/// API timeout: nothing can be read or processed; HTTP 503 with <c>Retry-After</c>).
/// </summary>
/// <param name="Status"><c>ok</c>, <c>degraded</c> or <c>unavailable</c>.</param>
/// <param name="Models">How many models serve and which cannot, with why.</param>
/// <param name="Storage"><c>ok</c> or <c>unavailable</c>.</param>
public sealed record HealthResource(string Status, ModelsHealth Models, string Storage)
{
    public const string Ok = "ok";
    public const string Degraded = "degraded";
    public const string Unavailable = "unavailable";
}
