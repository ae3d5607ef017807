using ServerlessVideo.Training.Export;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ServerlessVideo.Training.Nets.Blocks;

/// <summary>How one grid axis takes part in an attention step.</summary>
/// <param name="Blocks">The axis is cut into this many equal runs (1: the whole axis).</param>
/// <param name="Stride">Within its run, a token attends to tokens this far apart (1: every token of the run).</param>
/// <param name="Attends">False: the axis only separates groups (tokens attend within their own position on it).</param>
public readonly record struct AxisSpan(long Blocks, long Stride, bool Attends)
{
    /// <summary>Every position of the axis.</summary>
    public static AxisSpan All { get; } = new(1, 1, true);

    /// <summary>Only the token's own position (the axis separates groups).</summary>
    public static AxisSpan Own { get; } = new(1, 1, false);

    /// <summary>The token's own run of <c>length / blocks</c> positions.</summary>
    public static AxisSpan Within(long blocks) => new(blocks, 1, true);

    /// <summary>Every <paramref name="stride"/>-th position, starting at the token's own.</summary>
    public static AxisSpan Strided(long stride) => new(1, stride, true);
}

/// <summary>
/// Pre-norm residual attention over groups of a token grid [N, T, H, W, D]. Each axis is cut into
/// (block, position, residue) by its <see cref="AxisSpan"/>; tokens attend among those that share their block and
/// residue on every axis and their position on axes that do not attend. So {T}: time; {H, W}: space; {T, H, W}: joint;
/// {W}: width; quarters of the frame (local) or every other token along each axis (global) are groups too, computed as
/// groups rather than masked out of a joint attention.
/// A step that attends over time may add a learnt relative position bias (<see cref="RelativeTable"/>).
/// </summary>
public sealed class TokenAttention : Module<Tensor, Tensor>
{
    // Constant tensors live as long as the block (see SwinBlock).
    private readonly Tensor? _relativeIndex;

    /// <param name="dim">Token width D.</param>
    /// <param name="heads">Attention heads.</param>
    /// <param name="grid">(T, H, W) of the token grid.</param>
    /// <param name="spans">How each of T, H and W takes part.</param>
    /// <param name="relativeBias">
    /// When the step attends over time, add a learnt bias per head and per (Δt, Δh, Δw) offset between query and key,
    /// as Swin does within its windows; heads 0 and 1 start on the token one time step back and one on.
    /// </param>
    public TokenAttention(long dim, long heads, (long T, long H, long W) grid, IReadOnlyList<AxisSpan> spans, bool relativeBias = false)
        : base(nameof(TokenAttention))
    {
        ArgumentNullException.ThrowIfNull(spans);
        if (spans.Count != 3)
        {
            throw new ArgumentException("One span per grid axis (T, H, W).", nameof(spans));
        }

        Spans = [.. spans];
        long[] lengths = [grid.T, grid.H, grid.W];
        var split = new List<long> { -1 };
        var grouping = new List<long> { 0 };
        var attending = new List<long>();
        for (var a = 0; a < 3; a++)
        {
            var (blocks, stride, attends) = Spans[a];
            if (lengths[a] % (blocks * stride) != 0)
            {
                throw new ArgumentException($"Axis {a} of length {lengths[a]} cannot be cut into {blocks} blocks at stride {stride}.", nameof(spans));
            }

            // Axis a becomes (block, position, residue) at split dimensions 3a+1 … 3a+3.
            var positions = lengths[a] / blocks / stride;
            split.AddRange([blocks, positions, stride]);
            grouping.AddRange([(3 * a) + 1, (3 * a) + 3]);
            (attends ? attending : grouping).Add((3 * a) + 2);
        }

        split.Add(dim);
        SplitShape = [.. split];
        Permutation = [.. grouping, .. attending, 10];
        Inverse = new long[Permutation.Length];
        for (var i = 0; i < Permutation.Length; i++)
        {
            Inverse[Permutation[i]] = i;
        }

        Grid = grid;
        GroupLength = attending.Aggregate(1L, (p, d) => p * split[(int)d]);
        Norm = LayerNorm(dim);
        Attn = new Attention(dim, heads);
        if (relativeBias && Spans[0].Attends)
        {
            RelativeTable = Parameter(InitialRelativeTable(heads));
            _relativeIndex = tensor(RelativePositions.Rows(Grid, GroupPositions()));
        }

        RegisterComponents();
    }

    /// <summary>The relative position bias table [(2T − 1)(2H − 1)(2W − 1), heads], or null when the step has none.</summary>
    public Parameter? RelativeTable { get; }

    public AxisSpan[] Spans { get; }

    public (long T, long H, long W) Grid { get; }

    /// <summary>Tokens per attention group.</summary>
    public long GroupLength { get; }

    public LayerNorm Norm { get; }

    public Attention Attn { get; }

    private long[] SplitShape { get; }

    private long[] Permutation { get; }

    private long[] Inverse { get; }

    public override Tensor forward(Tensor x)
    {
        var permuted = Norm.call(x).reshape(SplitShape).permute(Permutation);
        var shape = permuted.shape;
        var y = Attn.Attend(permuted.reshape(-1, GroupLength, Attn.Dim), GroupBias());
        return x + y.reshape(shape).permute(Inverse).reshape(x.shape);
    }

    /// <summary>
    /// The same step as a masked attention over all T·H·W tokens, written straight from the spans' definition: two
    /// tokens meet when, on every axis, they share the block and the residue, and on an axis that does not attend also
    /// the position. Comparing it with <see cref="forward"/> checks that the grouping computes what the spans say.
    /// </summary>
    public Tensor AsMaskedJoint(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        long[] lengths = [Grid.T, Grid.H, Grid.W];
        var n = Grid.T * Grid.H * Grid.W;
        var mask = new float[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var meet = Enumerable.Range(0, 3).All(a => Meet(Spans[a], lengths[a], Coordinate(i, a), Coordinate(j, a)));
                mask[(i * n) + j] = meet ? 0f : -1e9f;
            }
        }

        using var maskTensor = tensor(mask).reshape(1, 1, n, n);
        using var rows = tensor(RelativePositions.Rows(Grid, RelativePositions.Positions(Grid)));
        using var bias = RelativeTable is null
            ? maskTensor.alias()
            : maskTensor + RelativeTable.index(rows).reshape(n, n, -1).permute(2, 0, 1).unsqueeze(0);
        var y = Attn.Attend(Norm.call(x).reshape(-1, n, Attn.Dim), bias);
        return x + y.reshape(x.shape);
    }

    /// <summary>The relative position bias [1, heads, L, L] shared by every group, or null.</summary>
    private Tensor? GroupBias() =>
        RelativeTable?.index(_relativeIndex!).reshape(GroupLength, GroupLength, Attn.Heads).permute(2, 0, 1).unsqueeze(0);

    /// <summary>
    /// Grid offsets of a group's tokens from its first, in the order the grouping lays them out (row-major over the
    /// attending axes): every group has the same layout, so one bias serves them all.
    /// </summary>
    private IReadOnlyList<(long T, long H, long W)> GroupPositions()
    {
        long[] lengths = [Grid.T, Grid.H, Grid.W];
        long Extent(int a) => Spans[a].Attends ? lengths[a] / Spans[a].Blocks / Spans[a].Stride : 1;
        return [.. RelativePositions.Positions((Extent(0), Extent(1), Extent(2)))
            .Select(p => (p.T * Spans[0].Stride, p.H * Spans[1].Stride, p.W * Spans[2].Stride))];
    }

    /// <summary>
    /// Zero, except that heads 0 and 1 put ln(L − 1) on the same place one time step back and one on: half of a row's
    /// weight at the start, so that from the first step two heads compare neighbouring frames.
    /// </summary>
    private Tensor InitialRelativeTable(long heads)
    {
        var table = zeros(RelativePositions.Rows(Grid), heads);
        var weight = (float)Math.Log(Math.Max(2, GroupLength - 1));
        var step = Spans[0].Stride;
        if (heads >= 2 && Grid.T > step)
        {
            table[RelativePositions.Row(Grid, (step, 0, 0), (0, 0, 0)), 0].fill_(weight);
            table[RelativePositions.Row(Grid, (0, 0, 0), (step, 0, 0)), 1].fill_(weight);
        }

        return table;
    }

    private long Coordinate(long token, int axis) => axis switch
    {
        0 => token / (Grid.H * Grid.W),
        1 => token / Grid.W % Grid.H,
        _ => token % Grid.W,
    };

    private static bool Meet(AxisSpan span, long length, long a, long b)
    {
        var run = length / span.Blocks;
        return a / run == b / run && (a - b) % span.Stride == 0 && (span.Attends || a == b);
    }

    /// <summary>ONNX nodes for the block.</summary>
    public string Export(GraphWriter w, string x)
    {
        ArgumentNullException.ThrowIfNull(w);
        var permutedShape = Permutation.Select(p => SplitShape[p]).ToArray();
        var group = w.Reshape(w.Transpose(w.Reshape(w.LayerNorm(x, Norm), SplitShape), Permutation), -1, GroupLength, Attn.Dim);
        string? bias = null;
        if (RelativeTable is not null)
        {
            using var noGrad = no_grad();
            using var values = GroupBias()!;
            bias = w.Constant(Weights.Of(values), 1, Attn.Heads, GroupLength, GroupLength);
        }

        var y = Attn.Export(w, group, GroupLength, bias);
        var back = w.Reshape(w.Transpose(w.Reshape(y, permutedShape), Inverse), -1, Grid.T, Grid.H, Grid.W, Attn.Dim);
        return w.Add(x, back);
    }
}
