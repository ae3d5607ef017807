namespace ServerlessVideo.Core.Manifests;

/// <summary>One ONNX output in a late fusion and its weight.</summary>
public sealed record FusedOutput(string Name, double Weight);
