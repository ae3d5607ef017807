namespace ServerlessVideo.Core.Planning;

/// <summary>Knobs of the planner.</summary>
public sealed class PlanOptions
{
    /// <summary>Clips per extraction/inference work item. Smaller spreads work wider; larger saves ffmpeg start-ups.</summary>
    public int ClipsPerSegment { get; set; } = 4;

    /// <summary>
    /// With shots, each shot gets a model's clips per video as long as a view then has at most this many clips; beyond
    /// it, the clips are shared among the shots by length (at least one each), so a video of many shots costs about
    /// what one of few shots does.
    /// </summary>
    public int MaxShotClips { get; set; } = 48;
}
