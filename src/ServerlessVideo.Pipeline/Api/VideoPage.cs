namespace ServerlessVideo.Pipeline.Api;

/// <summary>A page of videos; pass <see cref="Next"/> back as <c>?cursor=</c> for the next one.</summary>
public sealed record VideoPage(IReadOnlyList<VideoResource> Items, string? Next);
