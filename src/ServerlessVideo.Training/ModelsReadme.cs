using System.Globalization;
using System.Text;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Inference;

namespace ServerlessVideo.Training;

/// <summary>Rewrites the tables in <c>models/README.md</c> from the manifests' provenance metrics.</summary>
public static class ModelsReadme
{
    /// <summary>The paper's names of the TimeSformer attention schemes (its Table 1).</summary>
    private static readonly Dictionary<string, string> SchemeNames = new()
    {
        ["space"] = "Space (S)",
        ["joint"] = "Joint Space-Time (ST)",
        ["divided"] = "Divided Space-Time (T+S)",
        ["local-global"] = "Sparse Local Global (L+G)",
        ["axial"] = "Axial (T+W+H)",
    };

    /// <summary>What a family that models time is expected to reach on the temporal-order pairs.</summary>
    public const double TemporalTarget = 0.95;

    /// <summary>
    /// Families that cannot see frame order by design (frame averaging, orderless pooling, space-only attention); every
    /// other family is expected to reach <see cref="TemporalTarget"/> on the temporal-order pairs.
    /// </summary>
    public static bool OrderlessByDesign(ModelManifest manifest) =>
        manifest is { Family: "tsn" or "netvlad" }
        || (manifest.Family == "timesformer" && manifest.Architecture?.TryGetValue("attention", out var a) == true && a.GetString() == "space");

    /// <summary>The temporal-order accuracy, marked † when a family that models time falls short of the target.</summary>
    private static string Pairs(ModelManifest manifest, double value) =>
        string.Create(CultureInfo.InvariantCulture, $"{value:P1}{(!OrderlessByDesign(manifest) && value < TemporalTarget ? " †" : string.Empty)}");

    private const string ShortfallNote = "† a family that models time, below the 95 % expected on the temporal-order pairs: see why below the tables.";

    public static void Update(string modelsRoot)
    {
        var path = Path.Combine(modelsRoot, "README.md");
        var text = File.Exists(path) ? File.ReadAllText(path) : "# Models\n";
        var models = ModelFolders.LoadAll(modelsRoot).Where(m => m.Manifest.Provenance?.Metrics?.ContainsKey("testAccuracy") == true).ToList();
        text = Replace(text, "table", AllModels(models));
        text = Replace(text, "timesformer", TimeSformer(models));
        File.WriteAllText(path, text);
    }

    /// <summary>
    /// The consensus table: the consensus of every model (the pipeline's weighted mean of probabilities) and each model
    /// alone, best first, on the same <paramref name="videos"/> test videos.
    /// </summary>
    public static void UpdateConsensus(string modelsRoot, IReadOnlyList<(string Name, double Accuracy, double TemporalPairAccuracy)> rows, int videos)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var path = Path.Combine(modelsRoot, "README.md");
        var table = new StringBuilder();
        table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"On the first {videos} test videos (`./sv train consensus {videos}`):"));
        table.AppendLine();
        table.AppendLine("| | test accuracy | temporal-order pairs |");
        table.AppendLine("|---|---|---|");
        foreach (var (name, accuracy, pairs) in rows.OrderByDescending(r => r.Accuracy).ThenBy(r => r.Name, StringComparer.Ordinal))
        {
            var label = name == "consensus" ? "**consensus of all models**" : $"`{name}`";
            table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {label} | {accuracy:P1} | {pairs:P1} |"));
        }

        File.WriteAllText(path, Replace(File.ReadAllText(path), "consensus", table.ToString()));
    }

    private static string Replace(string text, string name, string table)
    {
        var begin = $"<!-- {name}:begin -->";
        var end = $"<!-- {name}:end -->";
        var start = text.IndexOf(begin, StringComparison.Ordinal);
        var stop = text.IndexOf(end, StringComparison.Ordinal);
        return start < 0 || stop < start
            ? text + $"\n{begin}\n{table}{end}\n"
            : text[..(start + begin.Length)] + "\n" + table + text[stop..];
    }

    private static string TimeSformer(IEnumerable<LoadedModel> models)
    {
        var table = new StringBuilder();
        table.AppendLine("| attention | model | parameters | GFLOPs / clip | CPU ms / clip | test accuracy | temporal-order pairs |");
        table.AppendLine("|---|---|---|---|---|---|---|");
        var rows = models
            .Where(m => m.Manifest.Family == "timesformer" && m.Manifest.Architecture?.ContainsKey("attention") == true)
            .Select(m => (Model: m, Scheme: m.Manifest.Architecture!["attention"].GetString()!))
            .OrderBy(r => SchemeNames.Keys.ToList().IndexOf(r.Scheme));
        foreach (var (m, scheme) in rows)
        {
            var x = m.Manifest.Provenance!.Metrics!;
            table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {SchemeNames.GetValueOrDefault(scheme, scheme)} | `{m.Id}` | {x["parameters"]:N0} | {x["flopsPerClip"] / 1e9:0.###} | {x["cpuMsPerClip"]:0.##} | {x["testAccuracy"]:P1} | {Pairs(m.Manifest, x["testTemporalPairAccuracy"])} |"));
        }

        return Footnote(table);
    }

    private static string AllModels(IEnumerable<LoadedModel> models)
    {
        var table = new StringBuilder();
        table.AppendLine("| model | family | test accuracy | temporal-order pairs | validation | parameters | GFLOPs / clip | CPU ms / clip | train min | regenerate |");
        table.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var m in models)
        {
            var x = m.Manifest.Provenance!.Metrics!;
            table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| `{m.Id}` | {m.Manifest.Family} | {x["testAccuracy"]:P1} | {Pairs(m.Manifest, x["testTemporalPairAccuracy"])} | {x["validationAccuracy"]:P1} | {x["parameters"]:N0} | {x["flopsPerClip"] / 1e9:0.###} | {x["cpuMsPerClip"]:0.##} | {x["trainMinutes"]:0.#} | `./sv train {m.Id}` |"));
        }

        return Footnote(table);
    }

    private static string Footnote(StringBuilder table)
    {
        if (table.ToString().Contains(" † |", StringComparison.Ordinal))
        {
            table.AppendLine().AppendLine(ShortfallNote);
        }

        return table.ToString();
    }
}
