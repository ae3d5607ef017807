using ServerlessVideo.Training.Export;
using ServerlessVideo.Training.Nets.Blocks;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ServerlessVideo.Training.Nets;

/// <summary>
/// Video Swin Transformer (Liu et al. 2022) at SynthMotion scale: 2×4×4 tubelet embedding, three stages of two blocks
/// each (regular then shifted 3D windows), 2×2 spatial patch merging between stages, layer norm, mean pooling and a
/// linear classifier. The tubelets are embedded by a convolutional stem instead of one linear projection (as vision
/// transformers trained without ImageNet do): the frame CNN's first two stride-2 3×3 blocks per frame (64² → 48 × 16 × 16,
/// which can start from a trained frame CNN as the paper's start from ImageNet weights), then each two frames' features
/// at a position concatenated and projected to the first stage's width. Input NTCHW.
/// </summary>
public sealed class VideoSwinNet : VideoNet
{
    public static readonly (long T, long H, long W) PatchSize = (2, 4, 4);
    public static readonly (long T, long H, long W) WindowSize = (2, 4, 4);
    public static readonly (long T, long H, long W) ShiftSize = (1, 2, 2);
    public static readonly long[] Dims = [32, 64, 128];
    public static readonly long[] HeadCounts = [2, 4, 8];
    public const int BlocksPerStage = 2;

    public VideoSwinNet(int classes, int frames, int size) : base(nameof(VideoSwinNet))
    {
        Stem = new FrameCnn(StemLayers);
        Embed = Linear(PatchSize.T * FrameCnn.Channels[StemLayers], Dims[0]);
        EmbedNorm = LayerNorm(Dims[0]);
        var grid = (T: frames / PatchSize.T, H: size / PatchSize.H, W: size / PatchSize.W);
        EmbedGrid = grid;
        for (var s = 0; s < Dims.Length; s++)
        {
            if (s > 0)
            {
                MergeNorms.Add(LayerNorm(4 * Dims[s - 1]));
                Merges.Add(Linear(4 * Dims[s - 1], Dims[s], hasBias: false));
                grid = (grid.T, grid.H / 2, grid.W / 2);
            }

            for (var b = 0; b < BlocksPerStage; b++)
            {
                Blocks.Add(new SwinBlock(Dims[s], HeadCounts[s], grid, WindowSize, b % 2 == 0 ? (0, 0, 0) : ShiftSize));
            }
        }

        Norm = LayerNorm(Dims[^1]);
        Fc = Linear(Dims[^1], classes);
        RegisterComponents();
    }

    /// <summary>Blocks of the frame CNN in the stem: two stride-2 blocks, so a token per 4×4 pixels as the tubelet's.</summary>
    public const int StemLayers = 2;

    public FrameCnn Stem { get; }

    /// <summary>Projects two frames' stem features at a position (the tubelet) to the first stage's width.</summary>
    public Linear Embed { get; }

    public LayerNorm EmbedNorm { get; }

    public (long T, long H, long W) EmbedGrid { get; }

    public ModuleList<SwinBlock> Blocks { get; } = new();

    public ModuleList<LayerNorm> MergeNorms { get; } = new();

    public ModuleList<Linear> Merges { get; } = new();

    public LayerNorm Norm { get; }

    public Linear Fc { get; }

    public override Tensor forward(Tensor x)
    {
        var (batch, frames, size) = (x.shape[0], x.shape[1], x.shape[4]);
        var maps = Stem.call(x.reshape(batch * frames, 3, size, size));                          // [N·T, C, H, W]
        MacCounter.Add(batch * frames * FrameCnn.MacsPerFrame((int)size, StemLayers));
        var (channels, height, width) = (maps.shape[1], maps.shape[2], maps.shape[3]);
        var tubelets = maps.reshape(batch, frames / PatchSize.T, PatchSize.T, channels, height, width)
            .permute(0, 1, 4, 5, 2, 3)
            .reshape(batch, frames / PatchSize.T, height, width, PatchSize.T * channels);
        MacCounter.Add(tubelets.numel() * Dims[0]);
        x = EmbedNorm.call(Embed.call(tubelets));
        for (var s = 0; s < Dims.Length; s++)
        {
            if (s > 0)
            {
                var (n, t, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3], x.shape[4]);
                var merged = MergeNorms[s - 1].call(x.reshape(n, t, h / 2, 2, w / 2, 2, c).permute(0, 1, 2, 4, 5, 3, 6).reshape(n, t, h / 2, w / 2, 4 * c));
                MacCounter.Add(merged.numel() * Dims[s]);
                x = Merges[s - 1].call(merged);
            }

            for (var b = 0; b < BlocksPerStage; b++)
            {
                x = Blocks[(s * BlocksPerStage) + b].call(x);
            }
        }

        MacCounter.Add(x.shape[0] * Fc.in_features * Fc.out_features);
        return Fc.call(Norm.call(x).mean([1, 2, 3]));
    }

    /// <summary>The stem starts as the first blocks of a committed frame-level model's trained frame CNN.</summary>
    public override string InitialiseFrom(string onnxPath)
    {
        Inflation.Load(Stem, onnxPath);
        return "taking the first two blocks of the trained 2D CNN as the tubelet-embedding stem";
    }

    public override string Export(GraphWriter w, int frames, int size)
    {
        ArgumentNullException.ThrowIfNull(w);
        var grid = EmbedGrid;
        var maps = OnnxExporter.FrameCnn(w.Graph, Stem, w.Reshape(OnnxExporter.Input, -1, 3, size, size));
        var stemChannels = FrameCnn.Channels[StemLayers];
        var tubelets = w.Reshape(
            w.Transpose(w.Reshape(maps, -1, grid.T, PatchSize.T, stemChannels, grid.H, grid.W), 0, 1, 4, 5, 2, 3),
            -1, grid.T, grid.H, grid.W, PatchSize.T * stemChannels);
        var x = w.LayerNorm(w.Linear(tubelets, Embed), EmbedNorm);
        for (var s = 0; s < Dims.Length; s++)
        {
            if (s > 0)
            {
                var c = Dims[s - 1];
                var grouped = w.Transpose(w.Reshape(x, -1, grid.T, grid.H / 2, 2, grid.W / 2, 2, c), 0, 1, 2, 4, 5, 3, 6);
                grid = (grid.T, grid.H / 2, grid.W / 2);
                x = w.Linear(w.LayerNorm(w.Reshape(grouped, -1, grid.T, grid.H, grid.W, 4 * c), MergeNorms[s - 1]), Merges[s - 1]);
            }

            for (var b = 0; b < BlocksPerStage; b++)
            {
                x = Blocks[(s * BlocksPerStage) + b].Export(w, x);
            }
        }

        return w.Linear(w.Mean(w.LayerNorm(x, Norm), 1, 2, 3), Fc);
    }
}
