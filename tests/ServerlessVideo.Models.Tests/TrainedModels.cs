using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Inference;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Models.Tests;

/// <summary>The committed models that carry measured SynthMotion accuracy in their provenance.</summary>
public static class TrainedModels
{
    public static IReadOnlyList<LoadedModel> All { get; } = ModelFolders.LoadAll(RepoPaths.Models)
        .Where(m => m.Manifest.Provenance?.Metrics?.ContainsKey("testAccuracy") == true)
        .ToList();

    public static IEnumerable<object[]> Ids => All.Select(m => new object[] { m.Id });
}
