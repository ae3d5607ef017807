using System.Text.Json.Serialization;

namespace ServerlessVideo.Core.Manifests;

/// <summary>
/// A model as data: what it is, what tensor it takes and how frames are sampled and normalised for it.
/// Mirrors <c>models/manifest.schema.json</c>.
/// </summary>
public sealed record ModelManifest
{
    /// <summary>Stable id; equals the folder name under <c>models/</c>.</summary>
    public required string Id { get; init; }

    public string? Name { get; init; }

    /// <summary>Architecture family, e.g. <c>baseline</c>, <c>tsn</c>, <c>i3d</c>, <c>timesformer</c>.</summary>
    public required string Family { get; init; }

    /// <summary>ONNX file relative to the manifest's folder.</summary>
    public string Model { get; init; } = "model.onnx";

    /// <summary>Labels file (one label per line) relative to the manifest's folder.</summary>
    public string Labels { get; init; } = "labels.txt";

    /// <summary>
    /// The label space the model's outputs belong to (e.g. <c>kinetics-400</c>, <c>synthmotion</c>): models are combined
    /// in a consensus only with models of the same space. Every model naming a space must list the same labels. When
    /// absent, the model is in a space of its own labels (<see cref="LoadedModel.LabelSpace"/>).
    /// </summary>
    public string? LabelSpace { get; init; }

    public required IReadOnlyList<ModelInput> Inputs { get; init; }

    public required ModelOutput Output { get; init; }

    public required SamplingSpec Sampling { get; init; }

    public required PreprocessingSpec Preprocessing { get; init; }

    /// <summary>Weight of this model in the cross-model consensus.</summary>
    public double ConsensusWeight { get; init; } = 1.0;

    /// <summary>Architecture hyper-parameters (attention scheme, windows, SlowFast α and β …), for readers.</summary>
    public IReadOnlyDictionary<string, System.Text.Json.JsonElement>? Architecture { get; init; }

    public Provenance? Provenance { get; init; }

    [JsonPropertyName("$schema")]
    public string? Schema { get; init; }
}
