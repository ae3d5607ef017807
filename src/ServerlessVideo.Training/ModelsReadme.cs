using System.Globalization;
using System.Text;
using ServerlessVideo.Core.Manifests;

namespace ServerlessVideo.Training;

/// <summary>Rewrites the table in <c>models/README.md</c> from the manifests' provenance metrics.</summary>
public static class ModelsReadme
{
    private const string Begin = "<!-- table:begin -->";
    private const string End = "<!-- table:end -->";

    public static void Update(string modelsRoot)
    {
        var path = Path.Combine(modelsRoot, "README.md");
        var text = File.Exists(path) ? File.ReadAllText(path) : $"# Models\n\n{Begin}\n{End}\n";
        var table = new StringBuilder();
        table.AppendLine("| model | family | test accuracy | temporal-order pairs | validation | parameters | GFLOPs / clip | CPU ms / clip | train min | regenerate |");
        table.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var m in ManifestLoader.LoadAll(modelsRoot).Where(m => m.Manifest.Provenance?.Metrics?.ContainsKey("testAccuracy") == true))
        {
            var x = m.Manifest.Provenance!.Metrics!;
            table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| `{m.Id}` | {m.Manifest.Family} | {x["testAccuracy"]:P1} | {x["testTemporalPairAccuracy"]:P1} | {x["validationAccuracy"]:P1} | {x["parameters"]:N0} | {x["flopsPerClip"] / 1e9:0.###} | {x["cpuMsPerClip"]:0.##} | {x["trainMinutes"]:0.#} | `./sv train {m.Id}` |"));
        }

        var start = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        text = start < 0 || end < start
            ? text + $"\n{Begin}\n{table}{End}\n"
            : text[..(start + Begin.Length)] + "\n" + table + text[end..];
        File.WriteAllText(path, text);
    }
}
