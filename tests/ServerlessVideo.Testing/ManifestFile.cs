using System.Text.Json.Nodes;
using ServerlessVideo.Core.Manifests;

namespace ServerlessVideo.Testing;

/// <summary>Edits a written model's <c>manifest.json</c> as JSON, for tests of what the loader and registry refuse.</summary>
public static class ManifestFile
{
    public static void Edit(string modelDirectory, Action<JsonObject> edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var path = Path.Combine(modelDirectory, ManifestLoader.ManifestFileName);
        var node = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(node);
        File.WriteAllText(path, node.ToJsonString());
    }
}
