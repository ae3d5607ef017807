using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessVideo.Pipeline;

/// <summary>The one JSON shape used for artifacts, table columns and the HTTP API.</summary>
public static class PipelineJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
        // Served as application/json, never embedded in HTML: keep '+' in timestamps and non-ASCII labels readable.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
