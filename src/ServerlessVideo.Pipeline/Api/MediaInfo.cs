namespace ServerlessVideo.Pipeline.Api;

/// <summary>What the probe found, as the API returns it.</summary>
public sealed record MediaInfo(double? DurationSeconds, double? Fps, int? Width, int? Height, int? Rotation, string? Codec, string? Format, long? SizeBytes);
