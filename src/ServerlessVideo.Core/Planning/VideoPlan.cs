using ServerlessVideo.Core.Manifests;

namespace ServerlessVideo.Core.Planning;

/// <summary>All the work for one video: every view with its segments.</summary>
public sealed record VideoPlan(IReadOnlyList<ViewPlan> Views)
{
    /// <summary>
    /// Models the host has but could not plan for because they cannot load, with why; null when every model was
    /// planned. Carried to the result so a video says which models did not run. An init property (not a constructor
    /// parameter) so plans stored by orchestrations started before it existed still read.
    /// </summary>
    public IReadOnlyList<UnavailableModel>? UnavailableModels { get; init; }

    /// <summary>
    /// The shot boundaries the clips were planned around, seconds (the start of every shot after the first); null when
    /// shot detection was off or failed.
    /// </summary>
    public IReadOnlyList<double>? Cuts { get; init; }
}
