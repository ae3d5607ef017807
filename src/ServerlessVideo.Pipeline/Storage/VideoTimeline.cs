using ServerlessVideo.Core.Results;

namespace ServerlessVideo.Pipeline.Storage;

/// <summary>
/// Every clip's scores of a video, per model, as stored with its result (<see cref="ResultBlobStore"/>), and the shot
/// boundaries when they were detected (null: detection off), and the pictures kept beside it (null: none).
/// </summary>
public sealed record VideoTimeline(
    string VideoId, double DurationSeconds, IReadOnlyList<ModelTimeline> Models, IReadOnlyList<double>? Cuts = null, Messages.VideoPictures? Pictures = null);
