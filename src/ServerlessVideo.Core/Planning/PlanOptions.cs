namespace ServerlessVideo.Core.Planning;

/// <summary>Knobs of the planner.</summary>
public sealed class PlanOptions
{
    /// <summary>Clips per extraction/inference work item. Smaller spreads work wider; larger saves ffmpeg start-ups.</summary>
    public int ClipsPerSegment { get; set; } = 4;
}
