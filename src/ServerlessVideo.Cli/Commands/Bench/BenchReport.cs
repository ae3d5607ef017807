using System.Globalization;
using System.Text.Json.Nodes;

namespace ServerlessVideo.Cli.Commands.Bench;

/// <summary>
/// What a bench run found: one table row per measured pair (pipeline side, bound side, their ratio), notes that
/// explain formulas and skips, and the same numbers (and more detail) as JSON.
/// </summary>
internal sealed class BenchReport
{
    private readonly TextTable _table = new("scenario", "measure", "pipeline", "bound / reference", "ratio");
    private readonly List<string> _notes = [];

    public JsonObject Json { get; } = new();

    private JsonObject Scenarios => (JsonObject)(Json["scenarios"] ??= new JsonObject());

    /// <summary>The JSON object of scenario <paramref name="name"/>, created on first use.</summary>
    public JsonObject Scenario(string name) => (JsonObject)(Scenarios[name] ??= new JsonObject());

    public void Row(string scenario, string measure, string pipeline, string bound, double? ratio) =>
        _table.Add(scenario, measure, pipeline, bound, ratio is { } r ? Number(r, "0.00") + "×" : "–");

    public void Note(string text) => _notes.Add(text);

    public string Render() => _notes.Count == 0 ? _table.ToString() : _table + Environment.NewLine + Environment.NewLine + string.Join(Environment.NewLine, _notes);

    public static string Number(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "–";

    public static string Seconds(double? seconds) => seconds is { } s ? Number(s, s < 10 ? "0.00" : "0.0") + " s" : "–";

    public static string Ms(double? ms) => ms is { } m ? Number(m, m < 10 ? "0.00" : "0.0") + " ms" : "–";

    public static string Mib(long? bytes) => bytes is { } b ? Number(b / 1048576.0, "0") + " MiB" : "–";

    public static string Percent(double? share) => share is { } s ? Number(100 * s, "0.0") + " %" : "–";

    /// <summary>A double rounded for JSON (3 decimals), or null.</summary>
    public static JsonNode? Round(double? value) => value is { } v && double.IsFinite(v) ? JsonValue.Create(Math.Round(v, 3)) : null;
}
