using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessVideo.Core.Manifests;

namespace ServerlessVideo.Inference;

/// <summary>
/// A reference library's model as data (<c>models/presets/&lt;library&gt;/&lt;name&gt;.json</c>): the manifest a user's
/// export of it needs (inputs, output, sampling, preprocessing, label space), where those values come from, what checks
/// them, and the export command that produces the graph the manifest describes.
/// </summary>
/// <param name="Name">e.g. <c>torchvision/r3d_18</c>.</param>
/// <param name="Source">The library code the values were taken from.</param>
/// <param name="Checked">What in this repository checks them (or that nothing does).</param>
/// <param name="Export">The export command whose input and output names the manifest uses.</param>
/// <param name="Manifest">The manifest without <c>id</c>, <c>model</c> and <c>labels</c>.</param>
public sealed record ModelPreset(string Name, string Source, string Checked, string Export, JsonObject Manifest)
{
    public string? LabelSpace => Manifest["labelSpace"]?.GetValue<string>();
}

/// <summary>Reads presets and label maps from a models folder (<c>presets/</c> and <c>labels/</c> beside the models).</summary>
public static class ModelPresets
{
    public const string PresetsFolder = "presets";
    public const string LabelsFolder = "labels";

    /// <summary>Every preset under <paramref name="modelsRoot"/>, by name.</summary>
    public static IReadOnlyList<ModelPreset> List(string modelsRoot)
    {
        var folder = Path.Combine(modelsRoot, PresetsFolder);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories)
            .Select(f => Read(f))
            .OrderBy(p => p.Name, StringComparer.Ordinal)];
    }

    /// <summary>The preset called <paramref name="name"/> (<c>library/model</c>); a clear error lists the others.</summary>
    public static ModelPreset Load(string modelsRoot, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var path = Path.Combine(modelsRoot, PresetsFolder, name.Replace('\\', '/') + ".json");
        if (name.Contains("..", StringComparison.Ordinal) || !File.Exists(path))
        {
            var known = List(modelsRoot).Select(p => p.Name).ToList();
            throw new ManifestException($"No preset '{name}' in {Path.Combine(modelsRoot, PresetsFolder)}; presets: {(known.Count == 0 ? "none" : string.Join(", ", known))}.");
        }

        return Read(path);
    }

    /// <summary>The shipped label map of <paramref name="space"/> (<c>labels/&lt;space&gt;.txt</c>), or null.</summary>
    public static string? LabelsFile(string modelsRoot, string space)
    {
        var path = Path.Combine(modelsRoot, LabelsFolder, space + ".txt");
        return !space.Contains('/', StringComparison.Ordinal) && !space.Contains("..", StringComparison.Ordinal) && File.Exists(path) ? path : null;
    }

    /// <summary>The label spaces shipped under <paramref name="modelsRoot"/>.</summary>
    public static IReadOnlyList<string> LabelSpaces(string modelsRoot)
    {
        var folder = Path.Combine(modelsRoot, LabelsFolder);
        return Directory.Exists(folder)
            ? [.. Directory.EnumerateFiles(folder, "*.txt").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal)]
            : [];
    }

    private static ModelPreset Read(string path)
    {
        try
        {
            var node = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            return new ModelPreset(
                node["preset"]!.GetValue<string>(),
                node["source"]!.GetValue<string>(),
                node["checked"]!.GetValue<string>(),
                node["export"]!.GetValue<string>(),
                node["manifest"]!.AsObject());
        }
        catch (Exception ex) when (ex is JsonException or NullReferenceException or InvalidOperationException)
        {
            throw new ManifestException($"{path}: not a preset (preset, source, checked, export, manifest): {ex.Message}", ex);
        }
    }
}
