namespace ServerlessVideo.Pipeline.Messages;

/// <summary>Input of the video orchestration: which blob version to classify. The instance id equals <see cref="VideoId"/>.</summary>
public sealed record VideoJob(string VideoId, string Container, string BlobName, string ETag, DateTimeOffset SubmittedAt) : IVideoMessage;
