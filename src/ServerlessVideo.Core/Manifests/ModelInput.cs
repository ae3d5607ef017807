namespace ServerlessVideo.Core.Manifests;

/// <summary>One ONNX graph input and how the sampled clip is laid out in it.</summary>
/// <param name="Name">Input name in the ONNX graph.</param>
/// <param name="Layout">Tensor layout: <c>NCTHW</c>, <c>NTCHW</c> (one clip per batch row) or <c>NCHW</c> (one frame per batch row; outputs averaged over the clip's frames; single-input models only).</param>
/// <param name="Stream"><c>rgb</c> (the clip's frames) or <c>flow</c> (quantised optical flow between consecutive frames, C = 2).</param>
public sealed record ModelInput(string Name, string Layout, string Stream = ModelInput.Rgb)
{
    public const string Rgb = "rgb";
    public const string FlowStream = "flow";

    /// <summary>Every k-th frame of the clip from the first (SlowFast's slow pathway); 1 takes all.</summary>
    public int FrameStride { get; init; } = 1;

    /// <summary>How flow is computed and quantised; required for <c>flow</c> inputs.</summary>
    public FlowSpec? Flow { get; init; }

    /// <summary>Per-channel mean for this input; null uses the manifest's preprocessing mean.</summary>
    public IReadOnlyList<double>? Mean { get; init; }

    /// <summary>Per-channel std for this input; null uses the manifest's preprocessing std.</summary>
    public IReadOnlyList<double>? Std { get; init; }

    /// <summary>The artifact stream this input reads: <c>rgb</c>, or the flow's <see cref="FlowSpec.Key"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string StreamKey => Stream == FlowStream && Flow is not null ? Flow.Key : Rgb;
}
