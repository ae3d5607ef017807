using System.Globalization;
using System.Text.Json;
using Json.Schema;

namespace ServerlessVideo.Core.Manifests;

/// <summary>
/// Validates manifests (<c>models/&lt;id&gt;/manifest.json</c>) against the JSON Schema and the rules the schema cannot
/// say, from text: reading the files is the caller's (<c>ServerlessVideo.Inference.ModelFolders</c>).
/// </summary>
public static class ManifestLoader
{
    public const string ManifestFileName = "manifest.json";

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private static readonly Lazy<JsonSchema> Schema = new(LoadSchema);

    /// <summary>
    /// A model from its parsed manifest and its labels file's text, read by the caller: its id checked against
    /// <paramref name="folderName"/>, and at least two labels. <paramref name="source"/> (the manifest's path) names it
    /// in errors.
    /// </summary>
    public static LoadedModel Build(ModelManifest manifest, string source, string folderName, string directory, string labelsText)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(labelsText);
        if (!string.Equals(folderName, manifest.Id, StringComparison.Ordinal))
        {
            throw new ManifestException($"{source}: id '{manifest.Id}' must equal its folder name '{folderName}'.");
        }

        var labels = labelsText.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (labels.Count < 2)
        {
            throw new ManifestException($"{source}: labels file '{manifest.Labels}' must list at least two labels, one per line.");
        }

        return new LoadedModel(manifest, directory, labels);
    }

    /// <summary>
    /// Models naming a label space whose first model (by id) lists other labels: a consensus of the space would add up
    /// scores of different classes, so such a model is unavailable until its labels or its space are fixed.
    /// </summary>
    public static IReadOnlyList<UnavailableModel> LabelSpaceConflicts(IReadOnlyList<LoadedModel> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        var conflicts = new List<UnavailableModel>();
        foreach (var space in models.GroupBy(m => m.LabelSpace, StringComparer.Ordinal))
        {
            var first = space.OrderBy(m => m.Id, StringComparer.Ordinal).First();
            var labels = first.Labels.ToHashSet(StringComparer.Ordinal);
            foreach (var other in space.Where(m => m != first && !labels.SetEquals(m.Labels)))
            {
                var missing = first.Labels.Except(other.Labels, StringComparer.Ordinal).Take(3).ToList();
                var extra = other.Labels.Except(first.Labels, StringComparer.Ordinal).Take(3).ToList();
                conflicts.Add(new UnavailableModel(other.Id, ReasonCodes.ModelUnavailable, string.Create(CultureInfo.InvariantCulture,
                    $"{other.Directory}/{ManifestFileName}: label space '{space.Key}' is also '{first.Id}''s, whose {first.Labels.Count} labels differ from these {other.Labels.Count}"
                    + $" (missing: {Show(missing)}; not in it: {Show(extra)}). Name another labelSpace, or use the same labels.")));
            }
        }

        return conflicts;

        static string Show(List<string> labels) => labels.Count == 0 ? "none" : string.Join(", ", labels.Select(l => $"'{l}'"));
    }

    /// <summary>Parses manifest JSON; <paramref name="source"/> names it in errors.</summary>
    public static ModelManifest Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new ManifestException($"{source}: not valid JSON: {ex.Message}", ex);
        }

        using var _ = document;
        var node = document.RootElement;
        var result = Schema.Value.Evaluate(node, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!result.IsValid)
        {
            var problems = (result.Details ?? [])
                .Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{(d.InstanceLocation.ToString() is { Length: > 0 } at ? at : "/")}: {e.Value}"))
                .Distinct()
                .Take(8);
            throw new ManifestException($"{source}: does not match manifest.schema.json: {string.Join("; ", problems)}");
        }

        var manifest = node.Deserialize<ModelManifest>(JsonOptions)
            ?? throw new ManifestException($"{source}: empty manifest.");
        CheckRules(manifest, source);
        return manifest;
    }

    private static void CheckRules(ModelManifest m, string source)
    {
        if (m.Sampling.Strategy == SamplingSpec.Mmaction2)
        {
            if (m.Sampling.FrameInterval is null || m.Sampling.Fps is not null || m.Sampling.FrameRate is not null)
            {
                throw new ManifestException($"{source}: 'mmaction2' sampling takes frameInterval (SampleFrames' frame_interval), not fps or frameRate.");
            }
        }
        else if (m.Sampling.Strategy == SamplingSpec.Mmaction2Segments)
        {
            if (m.Sampling.NumClips != 1 || m.Sampling.Fps is not null || m.Sampling.FrameInterval is not null || m.Sampling.FrameRate is not null)
            {
                throw new ManifestException($"{source}: 'mmaction2-segments' sampling takes clipLength segments as one clip: numClips 1, no fps, frameInterval or frameRate.");
            }
        }
        else if (m.Sampling.Strategy == SamplingSpec.Torchvision)
        {
            if (m.Sampling.FrameRate is null || m.Sampling.Fps is not null || m.Sampling.FrameInterval is not null)
            {
                throw new ManifestException($"{source}: 'torchvision' sampling takes frameRate (VideoClips' frame_rate), not fps or frameInterval.");
            }
        }
        else if (m.Sampling.FrameRate is not null)
        {
            throw new ManifestException($"{source}: frameRate is for 'torchvision' sampling only.");
        }

        if (m.Sampling.Strategy == SamplingSpec.Segments)
        {
            if (m.Sampling.NumClips != 1 || m.Sampling.Fps is not null || m.Sampling.FrameInterval is not null)
            {
                throw new ManifestException($"{source}: 'segments' sampling takes one clip spanning the video: numClips 1, no fps or frameInterval.");
            }
        }
        else if (!m.Sampling.ByIndex && m.Sampling.Fps is null == m.Sampling.FrameInterval is null)
        {
            throw new ManifestException($"{source}: sampling needs exactly one of 'fps' and 'frameInterval'.");
        }

        if (m.Preprocessing.Resize is { } resize)
        {
            CheckResize(resize, m.Preprocessing.CropSize, source);
            CheckCrops(resize, m.Preprocessing.Crops, m.Preprocessing.CropSize, source);
        }
        else if (m.Preprocessing.Crops is "three" or "ten")
        {
            throw new ManifestException($"{source}: preprocessing.crops '{m.Preprocessing.Crops}' needs preprocessing.resize (a reference library's geometry).");
        }
        else if (m.Preprocessing.CropSize > m.Preprocessing.ResizeShortSide)
        {
            throw new ManifestException(string.Format(CultureInfo.InvariantCulture,
                "{0}: preprocessing.cropSize {1} exceeds resizeShortSide {2}.", source, m.Preprocessing.CropSize, m.Preprocessing.ResizeShortSide));
        }

        var names = m.Inputs.Select(i => i.Name).ToList();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            throw new ManifestException($"{source}: input names must be distinct.");
        }

        if (m.Inputs.Count > 1 && m.Inputs.Any(i => i.Layout == "NCHW"))
        {
            throw new ManifestException($"{source}: layout NCHW (one frame per batch row) is for single-input models only.");
        }

        foreach (var input in m.Inputs)
        {
            CheckInput(m, input, $"{source}: input '{input.Name}'");
        }

        if (m.Family == "slowfast" && m.Architecture is not null && m.Architecture.TryGetValue("alpha", out var alpha)
            && alpha.ValueKind == System.Text.Json.JsonValueKind.Number && alpha.GetDouble() != m.Inputs.Max(i => i.FrameStride))
        {
            throw new ManifestException($"{source}: architecture.alpha {alpha} must equal the slow input's frameStride ({m.Inputs.Max(i => i.FrameStride)}).");
        }

        if (m.Output.AveragesLogits && m.Output.Fusion is not null)
        {
            throw new ManifestException($"{source}: output.average 'logits' is for a single output, not fusion.");
        }

        var fused = m.Output.Fusion?.Select(f => f.Name).ToList() ?? [];
        if (fused.Distinct(StringComparer.Ordinal).Count() != fused.Count)
        {
            throw new ManifestException($"{source}: output.fusion names must be distinct.");
        }
    }

    private static void CheckResize(ResizeSpec resize, int crop, string source)
    {
        var supported = resize.Library == ResizeSpec.OpenCv ? new[] { "nearest", "bilinear", "bicubic", "area" } : ["nearest", "bilinear", "bicubic"];
        if (!supported.Contains(resize.Interpolation))
        {
            throw new ManifestException($"{source}: preprocessing.resize: {resize.Library} has no '{resize.Interpolation}' interpolation ({string.Join(", ", supported)}).");
        }

        if (resize.Antialias && resize.Library != ResizeSpec.Torchvision)
        {
            throw new ManifestException($"{source}: preprocessing.resize.antialias is torchvision's switch; {resize.Library} decides for itself (Pillow always antialiases when it shrinks).");
        }

        var smallest = resize.ShortSide ?? (resize.Height is { } h && resize.Width is { } w ? Math.Min(h, w) : int.MaxValue);
        if (crop > smallest)
        {
            throw new ManifestException(string.Format(CultureInfo.InvariantCulture,
                "{0}: preprocessing.cropSize {1} exceeds the resized short side {2}.", source, crop, smallest));
        }
    }

    private static void CheckCrops(ResizeSpec resize, string? crops, int crop, string source)
    {
        var allowed = crops switch
        {
            null or "center" => true,
            "ten" => resize.Library is ResizeSpec.Torchvision or ResizeSpec.OpenCv,
            "three" => resize.Library == ResizeSpec.OpenCv,
            _ => false,
        };
        if (!allowed)
        {
            throw new ManifestException($"{source}: preprocessing.crops '{crops}' is not a {resize.Library} test-time crop (torchvision: ten; opencv, as mmaction2: three, ten).");
        }

        if (crops == "three" && resize.ShortSide != crop)
        {
            throw new ManifestException($"{source}: three crops span the short side: cropSize {crop} must equal resize.shortSide ({resize.ShortSide?.ToString(CultureInfo.InvariantCulture) ?? "not set"}).");
        }
    }

    private static void CheckInput(ModelManifest m, ModelInput input, string where)
    {
        var flow = input.Stream == ModelInput.FlowStream;
        if (flow != (input.Flow is not null))
        {
            throw new ManifestException(flow ? $"{where}: a flow input needs 'flow' (algorithm, bound)." : $"{where}: 'flow' applies to flow inputs only.");
        }

        var channels = flow ? 2 : 3;
        if ((input.Mean?.Count ?? channels) != channels || (input.Std?.Count ?? channels) != channels || (flow && (input.Mean is null || input.Std is null)))
        {
            throw new ManifestException($"{where}: needs {channels} mean and std values{(flow ? " (flow has x and y)" : string.Empty)}.");
        }

        if (flow && m.Sampling.ClipLength < 2)
        {
            throw new ManifestException($"{where}: flow needs clipLength of at least 2 frames.");
        }

        if (flow && m.Sampling.Strategy == SamplingSpec.Segments)
        {
            throw new ManifestException($"{where}: flow needs consecutive frames; 'segments' sampling takes frames seconds apart.");
        }

        if (input.FrameStride > m.Sampling.ClipLength)
        {
            throw new ManifestException($"{where}: frameStride {input.FrameStride} exceeds clipLength {m.Sampling.ClipLength}.");
        }
    }

    private static JsonSchema LoadSchema()
    {
        using var stream = typeof(ManifestLoader).Assembly.GetManifestResourceStream("manifest.schema.json")
            ?? throw new InvalidOperationException("manifest.schema.json is not embedded.");
        using var reader = new StreamReader(stream);
        return JsonSchema.FromText(reader.ReadToEnd());
    }
}
