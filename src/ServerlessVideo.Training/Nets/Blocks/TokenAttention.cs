using ServerlessVideo.Training.Export;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ServerlessVideo.Training.Nets.Blocks;

/// <summary>
/// Pre-norm residual attention over chosen axes of a token grid [N, T, H, W, D]: tokens that share every other axis
/// form one group and attend among themselves (axes {T}: time; {H, W}: space; {T, H, W}: joint; {W}: width …), with an
/// optional constant additive mask over the group.
/// </summary>
public sealed class TokenAttention : Module<Tensor, Tensor>
{
    private readonly long[] _perm;
    private readonly long[] _inverse;
    private readonly Tensor? _mask;

    /// <param name="dim">Token width D.</param>
    /// <param name="heads">Attention heads.</param>
    /// <param name="axes">Grid axes attended over, among 1 (T), 2 (H), 3 (W).</param>
    /// <param name="mask">Additive mask [L, L] over the group's tokens in row-major order of <paramref name="axes"/>, or null.</param>
    public TokenAttention(long dim, long heads, IReadOnlyList<long> axes, float[,]? mask = null) : base(nameof(TokenAttention))
    {
        ArgumentNullException.ThrowIfNull(axes);
        Axes = [.. axes];
        _perm = [0, .. new long[] { 1, 2, 3 }.Except(axes), .. axes, 4];
        _inverse = new long[5];
        for (var i = 0; i < 5; i++)
        {
            _inverse[_perm[i]] = i;
        }

        Norm = LayerNorm(dim);
        Attn = new Attention(dim, heads);
        if (mask is not null)
        {
            MaskValues = mask;
            _mask = tensor(mask).reshape(1, 1, mask.GetLength(0), mask.GetLength(1));
        }

        RegisterComponents();
    }

    public long[] Axes { get; }

    public LayerNorm Norm { get; }

    public Attention Attn { get; }

    public float[,]? MaskValues { get; }

    public override Tensor forward(Tensor x)
    {
        var permuted = Norm.call(x).permute(_perm);
        var shape = permuted.shape;
        var tokens = Axes.Aggregate(1L, (p, a) => p * x.shape[a]);
        var y = Attn.Attend(permuted.reshape(-1, tokens, x.shape[4]), _mask);
        return x + y.reshape(shape).permute(_inverse);
    }

    /// <summary>ONNX nodes for the block; <paramref name="grid"/> is (T, H, W) of the token grid.</summary>
    public string Export(GraphWriter w, string x, (long T, long H, long W) grid)
    {
        ArgumentNullException.ThrowIfNull(w);
        long[] dims = [-1, grid.T, grid.H, grid.W, Attn.Dim];
        var permutedShape = _perm.Select(p => dims[p]).ToArray();
        var tokens = Axes.Aggregate(1L, (p, a) => p * dims[a]);
        var group = w.Reshape(w.Transpose(w.LayerNorm(x, Norm), _perm), -1, tokens, Attn.Dim);
        string? mask = null;
        if (MaskValues is not null)
        {
            mask = w.Constant([.. MaskValues.Cast<float>()], 1, 1, tokens, tokens);
        }

        var y = Attn.Export(w, group, tokens, mask);
        return w.Add(x, w.Transpose(w.Reshape(y, permutedShape), _inverse));
    }
}
