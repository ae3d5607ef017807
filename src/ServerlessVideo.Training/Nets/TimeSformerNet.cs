using ServerlessVideo.Training.Export;
using ServerlessVideo.Training.Nets.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ServerlessVideo.Training.Nets;

/// <summary>
/// TimeSformer (Bertasius et al. 2021) with the five self-attention schemes of its Table 1: each frame embedded as a
/// 4×4 grid of tokens (one per 16×16 patch) by a convolutional stem (the frame CNN the frame-level families share, four
/// stride-2 3×3 convolutions, as vision transformers trained without ImageNet use instead of one linear patch
/// projection, and which can start from a trained frame CNN as the paper's starts from ImageNet weights), plus learnt
/// space and time position embeddings, then blocks whose attention is
/// space-only (S), joint space-time (ST), divided (time then space, T+S), sparse local-global (L+G) or axial
/// (time, width, height: T+W+H), each followed by an MLP. Tokens are mean-pooled for the classifier (no class token).
/// Space-only, as in the paper's code, has no time embedding: frames meet only in the final average.
/// </summary>
public sealed class TimeSformerNet : VideoNet
{
    public const int Patch = 16;
    public const int Dim = 96;
    public const int Heads = 4;
    public const int Depth = 4;

    /// <summary>
    /// Standard deviation of the position embeddings at initialisation. ViT's 0.02 is far below the stem's features
    /// (ReLU outputs of order 1): where and when a token is would start out invisible next to what it shows, and with
    /// a few thousand clips the network settles on the orderless answer before it learns them.
    /// </summary>
    public const float PositionScale = 0.5f;

    public static readonly IReadOnlyList<string> Schemes = ["space", "joint", "divided", "local-global", "axial"];

    /// <param name="scheme">One of <see cref="Schemes"/>.</param>
    /// <param name="classes">Output classes.</param>
    /// <param name="frames">Frames per clip.</param>
    /// <param name="size">Frame height and width in pixels.</param>
    /// <param name="relativeTimeBias">Steps that attend over time add a relative position bias (<see cref="TokenAttention"/>).</param>
    /// <param name="gatedMlp">The blocks' MLPs are gated (GEGLU, <see cref="Mlp"/>).</param>
    public TimeSformerNet(string scheme, int classes, int frames, int size, bool relativeTimeBias = false, bool gatedMlp = false)
        : base(nameof(TimeSformerNet))
    {
        Scheme = scheme;
        Grid = (frames, size / Patch, size / Patch);
        if (size % Patch != 0 || Grid.H % 2 != 0 || frames % 2 != 0)
        {
            throw new ArgumentException($"TimeSformer here needs frames of a multiple of {2 * Patch} px and an even frame count (local and global attention halve each axis).", nameof(size));
        }

        Stem = new FrameCnn();
        SpacePosition = Parameter(randn(new long[] { 1, 1, Grid.H, Grid.W, Dim }) * PositionScale);
        TimePosition = Parameter(randn(new long[] { 1, frames, 1, 1, Dim }) * PositionScale);
        for (var d = 0; d < Depth; d++)
        {
            foreach (var spans in Steps(scheme))
            {
                Attentions.Add(new TokenAttention(Dim, Heads, Grid, spans, relativeTimeBias));
            }

            Mlps.Add(new Mlp(Dim, 2 * Dim, gatedMlp));
            MlpNorms.Add(LayerNorm(Dim));
        }

        Norm = LayerNorm(Dim);
        Fc = Linear(Dim, classes);
        RegisterComponents();
    }

    public string Scheme { get; }

    public (long T, long H, long W) Grid { get; }

    /// <summary>The patch embedding: 64² RGB → <see cref="Dim"/> × 4 × 4, a token per 16×16 patch.</summary>
    public FrameCnn Stem { get; }

    public Parameter SpacePosition { get; }

    public Parameter TimePosition { get; }

    public ModuleList<TokenAttention> Attentions { get; } = new();

    public ModuleList<Mlp> Mlps { get; } = new();

    public ModuleList<LayerNorm> MlpNorms { get; } = new();

    public LayerNorm Norm { get; }

    public Linear Fc { get; }

    private bool UsesTime => Scheme != "space";

    private int StepsPerBlock => Attentions.Count / Depth;

    /// <summary>The attention steps of one block: how each of T, H and W takes part in each.</summary>
    public static IReadOnlyList<AxisSpan[]> Steps(string scheme) => scheme switch
    {
        "space" => [[AxisSpan.Own, AxisSpan.All, AxisSpan.All]],
        "joint" => [[AxisSpan.All, AxisSpan.All, AxisSpan.All]],
        "divided" => [[AxisSpan.All, AxisSpan.Own, AxisSpan.Own], [AxisSpan.Own, AxisSpan.All, AxisSpan.All]],

        // Local: the same H/2 × W/2 quarter of the frame in every frame; global: the whole clip at a stride of 2 along
        // time, height and width. Each is computed as attention within its groups, not as a masked joint attention.
        "local-global" => [
            [AxisSpan.All, AxisSpan.Within(2), AxisSpan.Within(2)],
            [AxisSpan.Strided(2), AxisSpan.Strided(2), AxisSpan.Strided(2)]],
        "axial" => [[AxisSpan.All, AxisSpan.Own, AxisSpan.Own], [AxisSpan.Own, AxisSpan.Own, AxisSpan.All], [AxisSpan.Own, AxisSpan.All, AxisSpan.Own]],
        _ => throw new ArgumentException($"Unknown attention scheme '{scheme}'; known: {string.Join(", ", Schemes)}.", nameof(scheme)),
    };

    /// <summary>
    /// The largest difference, on random tokens, between each attention step computed over its groups and the same step
    /// as a masked attention over the whole clip (<see cref="TokenAttention.AsMaskedJoint"/>). Relative position biases
    /// are set to random values for the comparison (so every offset's row is checked), then restored.
    /// </summary>
    public double GroupingDifference(int seed)
    {
        random.manual_seed(seed);
        using var noGrad = no_grad();
        using var x = randn(new long[] { 2, Grid.T, Grid.H, Grid.W, Dim });
        return Attentions.Max(a =>
        {
            using var saved = a.RelativeTable?.clone();
            a.RelativeTable?.copy_(randn_like(a.RelativeTable));
            var difference = (a.call(x) - a.AsMaskedJoint(x)).abs().max().item<float>();
            if (saved is not null)
            {
                a.RelativeTable!.copy_(saved);
            }

            return difference;
        });
    }

    public override Tensor forward(Tensor x) => Classify(Patches(x));

    /// <summary>
    /// With <paramref name="halves"/>, the stem (its batch norm takes statistics over the whole batch) runs on the
    /// whole batch and the blocks, which treat each clip on its own, on two half batches at once.
    /// </summary>
    public override float Backward(Tensor x, Tensor y, HalfBatchThreads? halves) =>
        halves is null ? base.Backward(x, y, null) : halves.Backward(Patches(x), y, Classify);

    /// <summary>[N, T, 3, H, W] → the stem's output for every frame, [N·T, D, H/16, W/16].</summary>
    private Tensor Patches(Tensor x)
    {
        var (n, t) = (x.shape[0], x.shape[1]);
        MacCounter.Add(n * t * FrameCnn.MacsPerFrame((int)x.shape[4]));
        return Stem.call(x.reshape(n * t, 3, x.shape[3], x.shape[4]));
    }

    /// <summary>The stem's output for the frames of N clips → logits [N, classes].</summary>
    private Tensor Classify(Tensor patches)
    {
        var n = patches.shape[0] / Grid.T;
        var tokens = patches.permute(0, 2, 3, 1).reshape(n, Grid.T, Grid.H, Grid.W, Dim) + SpacePosition;
        if (UsesTime)
        {
            tokens += TimePosition;
        }

        for (var d = 0; d < Depth; d++)
        {
            for (var s = 0; s < StepsPerBlock; s++)
            {
                tokens = Attentions[(d * StepsPerBlock) + s].call(tokens);
            }

            tokens += Mlps[d].call(MlpNorms[d].call(tokens));
        }

        MacCounter.Add(n * Dim * Fc.out_features);
        return Fc.call(Norm.call(tokens).mean([1, 2, 3]));
    }

    /// <summary>The stem starts as a committed frame-level model's trained frame CNN.</summary>
    public override string InitialiseFrom(string onnxPath)
    {
        Inflation.Load(Stem, onnxPath);
        return "taking the trained 2D CNN as the patch-embedding stem";
    }

    public override string Export(GraphWriter w, int frames, int size)
    {
        ArgumentNullException.ThrowIfNull(w);
        var frameBatch = w.Reshape(OnnxExporter.Input, -1, 3, size, size);
        var patches = OnnxExporter.FrameCnn(w.Graph, Stem, frameBatch);
        var tokens = w.Add(w.Reshape(w.Transpose(patches, 0, 2, 3, 1), -1, Grid.T, Grid.H, Grid.W, Dim),
            w.Constant(Weights.Of(SpacePosition), 1, 1, Grid.H, Grid.W, Dim));
        if (UsesTime)
        {
            tokens = w.Add(tokens, w.Constant(Weights.Of(TimePosition), 1, Grid.T, 1, 1, Dim));
        }

        for (var d = 0; d < Depth; d++)
        {
            for (var s = 0; s < StepsPerBlock; s++)
            {
                tokens = Attentions[(d * StepsPerBlock) + s].Export(w, tokens);
            }

            tokens = w.Add(tokens, Mlps[d].Export(w, w.LayerNorm(tokens, MlpNorms[d])));
        }

        return w.Linear(w.Mean(w.LayerNorm(tokens, Norm), 1, 2, 3), Fc);
    }
}
