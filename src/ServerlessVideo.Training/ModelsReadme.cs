using System.Globalization;
using System.Text;
using ServerlessVideo.Core.Manifests;

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

    public static void Update(string modelsRoot)
    {
        var path = Path.Combine(modelsRoot, "README.md");
        var text = File.Exists(path) ? File.ReadAllText(path) : "# Models\n";
        var models = ManifestLoader.LoadAll(modelsRoot).Where(m => m.Manifest.Provenance?.Metrics?.ContainsKey("testAccuracy") == true).ToList();
        text = Replace(text, "table", AllModels(models));
        text = Replace(text, "timesformer", TimeSformer(models));
        File.WriteAllText(path, text);
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
                $"| {SchemeNames.GetValueOrDefault(scheme, scheme)} | `{m.Id}` | {x["parameters"]:N0} | {x["flopsPerClip"] / 1e9:0.###} | {x["cpuMsPerClip"]:0.##} | {x["testAccuracy"]:P1} | {x["testTemporalPairAccuracy"]:P1} |"));
        }

        return table.ToString();
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
                $"| `{m.Id}` | {m.Manifest.Family} | {x["testAccuracy"]:P1} | {x["testTemporalPairAccuracy"]:P1} | {x["validationAccuracy"]:P1} | {x["parameters"]:N0} | {x["flopsPerClip"] / 1e9:0.###} | {x["cpuMsPerClip"]:0.##} | {x["trainMinutes"]:0.#} | `./sv train {m.Id}` |"));
        }

        return table.ToString();
    }
}
