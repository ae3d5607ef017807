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
}
