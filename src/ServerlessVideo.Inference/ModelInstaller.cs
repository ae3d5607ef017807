using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessVideo.Core.Manifests;

namespace ServerlessVideo.Inference;

/// <summary>
/// Adds a user's ONNX export as <c>&lt;models&gt;/&lt;id&gt;/</c> from a preset: the manifest is the preset's with the
/// id, the labels and where it came from; the model and labels are copied beside it; the folder is checked against the
/// graph (inputs, layouts, sizes, class count) by opening it as the workers will, and only then put in place.
/// </summary>
public static partial class ModelInstaller
{
    /// <summary>What was added: the model as loaded and the provider its session opened on.</summary>
    public sealed record Added(LoadedModel Model, string Provider);

    /// <param name="modelsRoot">The models folder the model is added to.</param>
    /// <param name="presetsRoot">The folder with <c>labels/</c> (shipped label maps).</param>
    /// <param name="onnxPath">The user's export.</param>
    /// <param name="preset">The preset describing it.</param>
    /// <param name="id">Folder name and model id; default from the preset and its label space, e.g. <c>r3d-18-kinetics-400</c>.</param>
    /// <param name="labels">A shipped label space (<c>kinetics-400</c>) or a labels file; default the preset's label space.</param>
    /// <param name="replace">Replace a model of the same id.</param>
    /// <param name="inference">Provider settings the check opens the session with.</param>
    public static Added Add(string modelsRoot, string presetsRoot, string onnxPath, ModelPreset preset, string? id, string? labels, bool replace, InferenceOptions inference)
    {
        ArgumentNullException.ThrowIfNull(preset);
        ArgumentNullException.ThrowIfNull(inference);
        if (!File.Exists(onnxPath))
        {
            throw new ManifestException($"No ONNX file at '{onnxPath}'.");
        }

        var manifest = preset.Manifest.DeepClone().AsObject();
        var (labelsPath, space) = ResolveLabels(presetsRoot, labels ?? preset.LabelSpace, preset);
        if (space is null)
        {
            manifest.Remove("labelSpace");
        }
        else
        {
            manifest["labelSpace"] = space;
        }

        id ??= DefaultId(preset, space);
        if (!ValidId().IsMatch(id))
        {
            throw new ManifestException($"Model id '{id}' must be lower-case letters, digits and hyphens, starting with a letter or digit (at most 63).");
        }

        var target = Path.Combine(modelsRoot, id);
        if (Directory.Exists(target) && !replace)
        {
            throw new ManifestException($"A model '{id}' exists already in {modelsRoot}: pass --id to name this one otherwise, or --replace.");
        }

        var staging = Path.Combine(modelsRoot, $".adding-{id}-{Environment.ProcessId}");
        var check = Path.Combine(staging, id);
        try
        {
            Directory.CreateDirectory(check);
            manifest.Insert(0, "id", id);
            manifest["model"] = "model.onnx";
            manifest["labels"] = "labels.txt";
            manifest["provenance"] = new JsonObject
            {
                ["source"] = $"{Path.GetFileName(onnxPath)} added with the preset {preset.Name} ({preset.Source})",
                ["notes"] = $"Preset check: {preset.Checked}. Export: {preset.Export}",
            };
            File.Copy(onnxPath, Path.Combine(check, "model.onnx"));
            File.Copy(labelsPath, Path.Combine(check, "labels.txt"));
            File.WriteAllText(Path.Combine(check, ManifestLoader.ManifestFileName), manifest.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");

            var provider = Check(staging, id, check, inference);
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }

            Directory.Move(check, target);
            return new Added(ModelFolders.Load(target), provider);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>Opens the staged model as a worker opens it (the manifest against the schema and the graph); its provider.</summary>
    private static string Check(string staging, string id, string folder, InferenceOptions inference)
    {
        var options = new InferenceOptions
        {
            ModelsPath = staging,
            ExecutionProvider = inference.ExecutionProvider,
            CudaDeviceId = inference.CudaDeviceId,
            IntraOpThreads = inference.IntraOpThreads,
        };
        using var registry = new ModelRegistry(options, NullLogger<ModelRegistry>.Instance);
        registry.WarmUp();
        if (registry.Unavailable.Count > 0)
        {
            throw new ManifestException(registry.Unavailable[0].Message.Replace(folder, "(new model)", StringComparison.Ordinal));
        }

        return registry.Session(id).Provider;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex ValidId();

    /// <summary><c>r3d_18</c> with <c>kinetics-400</c> → <c>r3d-18-kinetics-400</c>.</summary>
    public static string DefaultId(ModelPreset preset, string? space)
    {
        ArgumentNullException.ThrowIfNull(preset);
        var name = preset.Name[(preset.Name.LastIndexOf('/') + 1)..].Replace('_', '-').ToLowerInvariant();
        return space is null || name.EndsWith(space, StringComparison.Ordinal) ? name : $"{name}-{space}";
    }

    private static (string Path, string? Space) ResolveLabels(string modelsRoot, string? labels, ModelPreset preset)
    {
        if (labels is null)
        {
            throw new ManifestException($"The preset {preset.Name} names no label space: pass --labels (a label space: {string.Join(", ", ModelPresets.LabelSpaces(modelsRoot))}; or a file, one label per line).");
        }

        if (ModelPresets.LabelsFile(modelsRoot, labels) is { } shipped)
        {
            return (shipped, labels);
        }

        if (File.Exists(labels))
        {
            // A file of the user's: the space is its own labels' (models with identical files share it).
            return (labels, null);
        }

        throw new ManifestException($"--labels '{labels}' is neither a label space here ({string.Join(", ", ModelPresets.LabelSpaces(modelsRoot))}) nor a file.");
    }
}
