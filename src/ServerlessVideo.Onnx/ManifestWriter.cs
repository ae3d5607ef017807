using System.Text.Json;
using System.Text.Json.Serialization;
using ServerlessVideo.Core.Manifests;

namespace ServerlessVideo.Onnx;

/// <summary>Writes manifests in the registry's JSON form (camelCase, nulls left out, indented, trailing newline).</summary>
public static class ManifestWriter
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string ToJson(ModelManifest manifest) => JsonSerializer.Serialize(manifest, Options).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
}
