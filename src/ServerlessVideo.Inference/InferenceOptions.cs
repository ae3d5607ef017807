namespace ServerlessVideo.Inference;

/// <summary>How ONNX Runtime sessions are created.</summary>
public sealed class InferenceOptions
{
    /// <summary><c>cpu</c>, or <c>cuda</c> to try the CUDA provider first and fall back to CPU (logged) where it cannot load.</summary>
    public string ExecutionProvider { get; set; } = "cpu";

    /// <summary>GPU ordinal for the CUDA provider.</summary>
    public int CudaDeviceId { get; set; }

    /// <summary>Threads per session for one operator; 0 lets ONNX Runtime pick (one per core).</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>Folder holding <c>&lt;id&gt;/manifest.json</c> model folders.</summary>
    public string ModelsPath { get; set; } = "models";

    /// <summary>
    /// Folder holding <c>presets/</c> and <c>labels/</c> (the repository's <c>models</c>), read by <c>sv models add</c>;
    /// default <see cref="ModelsPath"/>.
    /// </summary>
    public string? PresetsPath { get; set; }

    /// <summary>Where presets and label maps are read from.</summary>
    public string PresetsRoot => string.IsNullOrWhiteSpace(PresetsPath) ? ModelsPath : PresetsPath;
}
