using ServerlessVideo.Training.Export;
using ServerlessVideo.Training.Nets.Blocks;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ServerlessVideo.Training.Nets;

/// <summary>
/// SlowFast (Feichtenhofer et al. 2019): a Slow pathway on every α-th frame with the frame CNN's widths and temporal
/// kernels only in its later stages, a Fast pathway on every frame with β times the channels and temporal kernels
/// throughout, and lateral time-strided convolutions (5×1×1, stride α, 2β·C channels) fusing Fast into Slow by
/// concatenation after each of the first three stages. The ONNX graph takes the two pathways as inputs
/// <c>slow</c> [N, 3, T/α, S, S] and <c>fast</c> [N, 3, T, S, S].
/// </summary>
public sealed class SlowFastNet : VideoNet
{
    public const int Alpha = 4;
    public const int BetaInverse = 4;

    public SlowFastNet(int classes) : base(nameof(SlowFastNet))
    {
        var slow = Cnn3dFamilies.Channels;
        var fast = slow.Select((c, i) => i == 0 ? c : c / BetaInverse).ToArray();
        for (var i = 0; i < slow.Length - 1; i++)
        {
            var slowIn = i == 0 ? slow[0] : slow[i] + (2 * fast[i]);
            Slow.Add(new ConvBn3d(slowIn, slow[i + 1], (i < 2 ? 1 : 3, 3, 3), (1, 2, 2)));
            Fast.Add(new ConvBn3d(fast[i], fast[i + 1], (i == 0 ? 5 : 3, 3, 3), (1, 2, 2)));
            if (i < slow.Length - 2)
            {
                Laterals.Add(new ConvBn3d(fast[i + 1], 2 * fast[i + 1], (5, 1, 1), (Alpha, 1, 1)));
            }
        }

        Dropout = nn.Dropout(0.3);
        Fc = Linear(slow[^1] + fast[^1], classes);
        RegisterComponents();
    }

    public ModuleList<ConvBn3d> Slow { get; } = new();

    public ModuleList<ConvBn3d> Fast { get; } = new();

    public ModuleList<ConvBn3d> Laterals { get; } = new();

    public Linear Fc { get; }

    private Dropout Dropout { get; }

    public override string Layout => "NCTHW";

    public const string SlowInput = "slow";
    public const string FastInput = "fast";

    /// <summary>The Slow pathway's frames: every α-th frame from the first.</summary>
    public static Tensor SlowFrames(Tensor clips)
    {
        ArgumentNullException.ThrowIfNull(clips);
        return clips.slice(2, 0, clips.shape[2], Alpha);
    }

    public override IReadOnlyList<(string Name, Tensor Value)> Feeds(Tensor clips) => [(SlowInput, SlowFrames(clips)), (FastInput, clips)];

    public override IReadOnlyList<Core.Manifests.ModelInput> ManifestInputs() =>
        [new(SlowInput, Layout) { FrameStride = Alpha }, new(FastInput, Layout)];

    public override Tensor forward(Tensor x)
    {
        var (slow, fast) = (SlowFrames(x), x);
        for (var i = 0; i < Slow.Count; i++)
        {
            slow = Slow[i].call(slow);
            fast = Fast[i].call(fast);
            if (i < Laterals.Count)
            {
                slow = cat([slow, Laterals[i].call(fast)], 1);
            }
        }

        var pooled = cat([slow.mean([2, 3, 4]), fast.mean([2, 3, 4])], 1);
        MacCounter.Add(x.shape[0] * Fc.in_features * Fc.out_features);
        return Fc.call(Dropout.call(pooled));
    }

    public override string Export(GraphWriter w, int frames, int size)
    {
        ArgumentNullException.ThrowIfNull(w);
        var (slow, fast) = (SlowInput, FastInput);
        for (var i = 0; i < Slow.Count; i++)
        {
            slow = Slow[i].Export(w, slow);
            fast = Fast[i].Export(w, fast);
            if (i < Laterals.Count)
            {
                slow = w.Op("Concat", [slow, Laterals[i].Export(w, fast)], ("axis", 1L));
            }
        }

        var pooled = w.Op("Concat", [w.Mean(slow, 2, 3, 4), w.Mean(fast, 2, 3, 4)], ("axis", 1L));
        return w.Linear(pooled, Fc);
    }
}
