namespace ServerlessVideo.Core.Planning;

/// <summary>All the work for one video: every view with its segments.</summary>
public sealed record VideoPlan(IReadOnlyList<ViewPlan> Views);
