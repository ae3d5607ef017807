using ServerlessVideo.Training.Export;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ServerlessVideo.Training.Nets.Blocks;

/// <summary>The transformer feed-forward block: Linear → GELU → Linear.</summary>
public sealed class Mlp : Module<Tensor, Tensor>
{
    public Mlp(long dim, long hidden) : base(nameof(Mlp))
    {
        Fc1 = Linear(dim, hidden);
        Fc2 = Linear(hidden, dim);
        RegisterComponents();
    }

    public Linear Fc1 { get; }

    public Linear Fc2 { get; }

    public override Tensor forward(Tensor x)
    {
        MacCounter.Add(2 * (x.numel() / x.shape[^1]) * Fc1.in_features * Fc1.out_features);
        return Fc2.call(functional.gelu(Fc1.call(x)));
    }

    public string Export(GraphWriter w, string x)
    {
        ArgumentNullException.ThrowIfNull(w);
        return w.Linear(w.Gelu(w.Linear(x, Fc1)), Fc2);
    }
}
