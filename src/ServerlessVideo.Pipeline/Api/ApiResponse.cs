namespace ServerlessVideo.Pipeline.Api;

/// <summary>What a route answers, independent of the web stack that sends it.</summary>
public sealed record ApiResponse(int StatusCode, string Json);
