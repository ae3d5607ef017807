using System.Text.Json;
using ServerlessVideo.Core;
using ServerlessVideo.Core.Manifests;

namespace ServerlessVideo.Inference;

/// <summary>
/// Reads models folders: <c>&lt;root&gt;/&lt;id&gt;/manifest.json</c>, its labels file and its ONNX file, validated by
/// <see cref="ManifestLoader"/> (which only sees text).
/// </summary>
public static class ModelFolders
{
    /// <summary>Loads every sub-folder of <paramref name="modelsRoot"/> that holds a manifest, ordered by id; the first bad one throws.</summary>
    public static IReadOnlyList<LoadedModel> LoadAll(string modelsRoot)
    {
        var models = Folders(modelsRoot).Select(Load).ToList();
        if (models.Count == 0)
        {
            throw new ManifestException($"Models folder '{modelsRoot}' holds no '<id>/{ManifestLoader.ManifestFileName}'.");
        }

        return models;
    }

    /// <summary>
    /// Loads every sub-folder of <paramref name="modelsRoot"/> that holds a manifest and keeps going past bad ones: each
    /// folder that fails is listed with its error (as <see cref="ReasonCodes.ModelUnavailable"/>), so one broken model
    /// does not hide the others; so is a model whose label space another model names with other labels. A models
    /// folder that is missing still throws <see cref="ManifestException"/>.
    /// </summary>
    public static ManifestScan Scan(string modelsRoot)
    {
        var models = new List<LoadedModel>();
        var failed = new List<UnavailableModel>();
        foreach (var folder in Folders(modelsRoot))
        {
            try
            {
                models.Add(Load(folder));
            }
            catch (Exception ex) when (ex is ManifestException or IOException or UnauthorizedAccessException or JsonException or NotSupportedException or ArgumentException)
            {
                // ManifestException names the file already; the others (unreadable file, JSON the schema let through
                // but the records cannot take) get it here.
                var message = ex is ManifestException ? ex.Message : $"{Path.Combine(folder, ManifestLoader.ManifestFileName)}: {ex.Message}";
                failed.Add(new UnavailableModel(Path.GetFileName(folder), ReasonCodes.ModelUnavailable, message));
            }
        }

        var conflicts = ManifestLoader.LabelSpaceConflicts(models);
        models.RemoveAll(m => conflicts.Any(c => c.Id == m.Id));
        failed.AddRange(conflicts);
        failed.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return new ManifestScan(models, failed);
    }

    /// <summary>Loads and validates the manifest in <paramref name="modelDirectory"/>, with its labels; its ONNX file must exist.</summary>
    public static LoadedModel Load(string modelDirectory)
    {
        var path = Path.Combine(modelDirectory, ManifestLoader.ManifestFileName);
        var manifest = ManifestLoader.Parse(File.ReadAllText(path), path);
        var labelsPath = Path.Combine(modelDirectory, manifest.Labels);
        if (!File.Exists(labelsPath))
        {
            throw new ManifestException($"{path}: labels file '{manifest.Labels}' not found.");
        }

        var folderName = Path.GetFileName(Path.TrimEndingDirectorySeparator(modelDirectory));
        var model = ManifestLoader.Build(manifest, path, folderName, modelDirectory, File.ReadAllText(labelsPath));
        if (!File.Exists(model.ModelPath))
        {
            throw new ManifestException($"{path}: model file '{manifest.Model}' not found.");
        }

        return model;
    }

    private static List<string> Folders(string modelsRoot)
    {
        if (!Directory.Exists(modelsRoot))
        {
            throw new ManifestException($"Models folder '{modelsRoot}' does not exist.");
        }

        return [.. Directory.EnumerateDirectories(modelsRoot)
            .Where(d => File.Exists(Path.Combine(d, ManifestLoader.ManifestFileName)))
            .Order(StringComparer.Ordinal)];
    }
}
