namespace ServerlessVideo.Core.Manifests;

/// <summary>The ONNX output holding class scores and the activation that turns it into probabilities.</summary>
/// <param name="Name">Output name in the ONNX graph; null takes the first output.</param>
/// <param name="Activation"><c>softmax</c> (graph emits logits), <c>sigmoid</c> (multi-label) or <c>none</c> (graph emits probabilities).</param>
public sealed record ModelOutput(string? Name, string Activation)
{
    /// <summary>
    /// Late fusion (two-stream): these outputs, each through <see cref="Activation"/>, averaged with their weights
    /// (normalised to sum 1). Null reads the single output <see cref="Name"/>.
    /// </summary>
    public IReadOnlyList<FusedOutput>? Fusion { get; init; }

    /// <summary>
    /// What is averaged over a video's clips and test-time crops: <c>probabilities</c> (default; mmaction2's
    /// <c>average_clips='prob'</c>) or <c>logits</c> (the raw scores, the activation applied to their mean: TSN's
    /// consensus over segments and crops).
    /// </summary>
    public string? Average { get; init; }

    public const string AverageLogits = "logits";

    /// <summary>Whether the activation comes after the average over clips and crops.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool AveragesLogits => Average == AverageLogits;
}
