namespace ServerlessVideo.Pipeline.Api;

/// <summary>
/// What a route answers, independent of the web stack that sends it. <paramref name="RetryAfterSeconds"/>, when set,
/// goes out as a <c>Retry-After</c> header (on 503 answers). A picture answers <see cref="Bytes"/> of
/// <see cref="ContentType"/> instead of JSON.
/// </summary>
public sealed record ApiResponse(int StatusCode, string Json, int? RetryAfterSeconds = null)
{
    public byte[]? Bytes { get; init; }

    public string? ContentType { get; init; }

    public static ApiResponse File(byte[] bytes, string contentType) => new(200, string.Empty) { Bytes = bytes, ContentType = contentType };
}
