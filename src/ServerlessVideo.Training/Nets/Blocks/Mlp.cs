using ServerlessVideo.Training.Export;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ServerlessVideo.Training.Nets.Blocks;

/// <summary>
/// The transformer feed-forward block: Linear → GELU → Linear, or gated (GEGLU, Shazeer 2020): the GELU branch times a
/// second linear projection of the input, so the block computes products of features directly.
/// </summary>
public sealed class Mlp : Module<Tensor, Tensor>
{
    public Mlp(long dim, long hidden, bool gated = false) : base(nameof(Mlp))
    {
        Fc1 = Linear(dim, hidden);
        Fc2 = Linear(hidden, dim);
        Gate = gated ? Linear(dim, hidden) : null;
        RegisterComponents();
    }

    /// <summary>The gate's projection, or null for the plain MLP.</summary>
    public Linear? Gate { get; }

    public Linear Fc1 { get; }

    public Linear Fc2 { get; }

    public override Tensor forward(Tensor x)
    {
        MacCounter.Add((Gate is null ? 2 : 3) * (x.numel() / x.shape[^1]) * Fc1.in_features * Fc1.out_features);
        var hidden = functional.gelu(Fc1.call(x));
        return Fc2.call(Gate is null ? hidden : hidden * Gate.call(x));
    }

    public string Export(GraphWriter w, string x)
    {
        ArgumentNullException.ThrowIfNull(w);
        var hidden = w.Gelu(w.Linear(x, Fc1));
        return w.Linear(Gate is null ? hidden : w.Op("Mul", [hidden, w.Linear(x, Gate)]), Fc2);
    }
}
