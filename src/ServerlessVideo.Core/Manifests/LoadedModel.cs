using System.Security.Cryptography;
using System.Text;

namespace ServerlessVideo.Core.Manifests;

/// <summary>A manifest with its folder and labels read.</summary>
/// <param name="Manifest">The parsed, schema-valid manifest.</param>
/// <param name="Directory">Folder holding the manifest.</param>
/// <param name="Labels">Class labels, index-aligned with the model output.</param>
public sealed record LoadedModel(ModelManifest Manifest, string Directory, IReadOnlyList<string> Labels)
{
    public string Id => Manifest.Id;

    public string ModelPath => Path.Combine(Directory, Manifest.Model);

    /// <summary>
    /// The manifest's <see cref="ModelManifest.LabelSpace"/>, or, when it names none, <c>labels-N-HASH</c> from its
    /// labels (N of them, HASH the first 8 hex digits of the SHA-256 of the labels joined by newlines): models with
    /// the same unnamed labels share a space, models with different ones never do.
    /// </summary>
    public string LabelSpace => Manifest.LabelSpace ?? UnnamedSpace(Labels);

    public static string UnnamedSpace(IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', labels)));
        return $"labels-{labels.Count}-{Convert.ToHexStringLower(hash)[..8]}";
    }
}
