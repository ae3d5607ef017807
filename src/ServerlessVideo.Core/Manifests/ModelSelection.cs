namespace ServerlessVideo.Core.Manifests;

/// <summary>
/// Which models run for a video: a comma- or space-separated list of model ids and label spaces (the
/// <c>Pipeline__Models</c> setting, or an upload's <c>models</c> metadata). Empty, or <c>*</c>, means every model.
/// </summary>
public sealed class ModelSelection
{
    private readonly HashSet<string> _tokens;

    private ModelSelection(HashSet<string> tokens) => _tokens = tokens;

    /// <summary>Every model.</summary>
    public static ModelSelection All { get; } = new([]);

    /// <summary>True when the selection names no model or space, so every model is selected.</summary>
    public bool IsAll => _tokens.Count == 0;

    /// <summary>The names as given (ids and spaces), in order.</summary>
    public IReadOnlyList<string> Names => [.. _tokens.Order(StringComparer.Ordinal)];

    /// <summary>Parses <paramref name="text"/>; null, blank or <c>*</c> is <see cref="All"/>.</summary>
    public static ModelSelection Parse(string? text)
    {
        var tokens = (text ?? string.Empty)
            .Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => t.ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);
        return tokens.Count == 0 || tokens.Contains("*") ? All : new ModelSelection(tokens);
    }

    /// <summary>Whether <paramref name="model"/> is selected: its id or its label space is named.</summary>
    public bool Includes(LoadedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return IsAll || _tokens.Contains(model.Id) || _tokens.Contains(model.LabelSpace);
    }

    /// <summary>
    /// Names that are neither the id nor the label space of any of <paramref name="known"/> (the manifests that loaded)
    /// nor in <paramref name="otherIds"/> (models whose manifest did not load).
    /// </summary>
    public IReadOnlyList<string> Unknown(IEnumerable<LoadedModel> known, IEnumerable<string> otherIds)
    {
        ArgumentNullException.ThrowIfNull(known);
        ArgumentNullException.ThrowIfNull(otherIds);
        var names = known.SelectMany(m => new[] { m.Id, m.LabelSpace }).Concat(otherIds).ToHashSet(StringComparer.Ordinal);
        return [.. Names.Where(t => !names.Contains(t))];
    }

    public override string ToString() => IsAll ? "*" : string.Join(",", Names);
}
