namespace ServerlessVideo.Pipeline.Api;

/// <summary>
/// What a route answers, independent of the web stack that sends it. <paramref name="RetryAfterSeconds"/>, when set,
/// goes out as a <c>Retry-After</c> header (on 503 answers).
/// </summary>
public sealed record ApiResponse(int StatusCode, string Json, int? RetryAfterSeconds = null);
