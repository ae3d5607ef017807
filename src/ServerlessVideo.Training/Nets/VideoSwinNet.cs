using ServerlessVideo.Training.Export;
using ServerlessVideo.Training.Nets.Blocks;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ServerlessVideo.Training.Nets;

/// <summary>
/// Video Swin Transformer (Liu et al. 2022) at SynthMotion scale: 3D patch embedding (2×4×4 tubelets), three stages
/// of two blocks each (regular then shifted 3D windows), 2×2 spatial patch merging between stages, layer norm, mean
/// pooling and a linear classifier. Input NCTHW.
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
        Embed = Conv3d(3, Dims[0], (PatchSize.T, PatchSize.H, PatchSize.W), (PatchSize.T, PatchSize.H, PatchSize.W));
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

    public Conv3d Embed { get; }

    public LayerNorm EmbedNorm { get; }

    public (long T, long H, long W) EmbedGrid { get; }

    public ModuleList<SwinBlock> Blocks { get; } = new();

    public ModuleList<LayerNorm> MergeNorms { get; } = new();

    public ModuleList<Linear> Merges { get; } = new();

    public LayerNorm Norm { get; }

    public Linear Fc { get; }

    public override string Layout => "NCTHW";

    public override Tensor forward(Tensor x)
    {
        var embedded = Embed.call(x);
        MacCounter.Add(embedded.numel() * 3 * PatchSize.T * PatchSize.H * PatchSize.W);
        x = EmbedNorm.call(embedded.permute(0, 2, 3, 4, 1));
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

    public override string Export(GraphWriter w, int frames, int size)
    {
        ArgumentNullException.ThrowIfNull(w);
        long[] patch = [PatchSize.T, PatchSize.H, PatchSize.W];
        var embedded = w.Op("Conv", [OnnxExporter.Input, w.Constant(Weights.Of(Embed.weight!), Embed.weight!.shape), w.Constant(Weights.Of(Embed.bias!), Dims[0])],
            ("kernel_shape", patch), ("strides", patch));
        var x = w.LayerNorm(w.Transpose(embedded, 0, 2, 3, 4, 1), EmbedNorm);
        var grid = EmbedGrid;
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
