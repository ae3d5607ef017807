namespace ServerlessVideo.Core.Manifests;

/// <summary>A manifest with its folder and labels read.</summary>
/// <param name="Manifest">The parsed, schema-valid manifest.</param>
/// <param name="Directory">Folder holding the manifest.</param>
/// <param name="Labels">Class labels, index-aligned with the model output.</param>
public sealed record LoadedModel(ModelManifest Manifest, string Directory, IReadOnlyList<string> Labels)
{
    public string Id => Manifest.Id;

    public string ModelPath => Path.Combine(Directory, Manifest.Model);
}
