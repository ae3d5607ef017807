using ServerlessVideo.Training.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ServerlessVideo.Training.Nets.Blocks;

/// <summary>
/// One Video Swin block over a token grid [N, T, H, W, C]: (shifted) 3D-window multi-head attention with a learnt
/// relative position bias, then an MLP, both pre-norm and residual. A window or shift larger than the grid shrinks to
/// it (no shift along an axis one window covers), as in the paper's code; shifted windows mask token pairs that come
/// from different regions of the cyclically rolled grid.
/// </summary>
public sealed class SwinBlock : Module<Tensor, Tensor>
{
    private const float MaskValue = -100f;

    // Constant tensors live as long as the block: a temporary created inside forward can be finalised by the GC
    // while libtorch still reads it (seen as a rare crash under memory pressure).
    private readonly Tensor _relativeIndex;
    private readonly Tensor? _mask;

    public SwinBlock(long dim, long heads, (long T, long H, long W) grid, (long T, long H, long W) window, (long T, long H, long W) shift)
        : base(nameof(SwinBlock))
    {
        Grid = grid;
        Window = (Math.Min(window.T, grid.T), Math.Min(window.H, grid.H), Math.Min(window.W, grid.W));
        Shift = (grid.T <= window.T ? 0 : shift.T, grid.H <= window.H ? 0 : shift.H, grid.W <= window.W ? 0 : shift.W);
        if (grid.T % Window.T != 0 || grid.H % Window.H != 0 || grid.W % Window.W != 0)
        {
            throw new ArgumentException($"The token grid {grid} must divide into windows {Window} (no padding here).", nameof(grid));
        }

        Tokens = Window.T * Window.H * Window.W;
        Windows = grid.T / Window.T * (grid.H / Window.H) * (grid.W / Window.W);
        Norm1 = LayerNorm(dim);
        Attn = new Attention(dim, heads);
        Norm2 = LayerNorm(dim);
        Mlp = new Mlp(dim, 2 * dim);
        RelativeTable = Parameter(randn(RelativePositions.Rows(Window), heads) * 0.02f);
        _relativeIndex = tensor(RelativePositions.Rows(Window, RelativePositions.Positions(Window)));
        _mask = Shifted ? tensor(ShiftMask()).reshape(Windows, 1, Tokens, Tokens) : null;
        RegisterComponents();
    }

    public (long T, long H, long W) Grid { get; }

    public (long T, long H, long W) Window { get; }

    public (long T, long H, long W) Shift { get; }

    public long Tokens { get; }

    public long Windows { get; }

    public bool Shifted => Shift != (0, 0, 0);

    public LayerNorm Norm1 { get; }

    public Attention Attn { get; }

    public LayerNorm Norm2 { get; }

    public Mlp Mlp { get; }

    public Parameter RelativeTable { get; }

    private long[] Shifts => [Shift.T, Shift.H, Shift.W];

    public override Tensor forward(Tensor x)
    {
        var y = Norm1.call(x);
        if (Shifted)
        {
            y = roll(y, Shifts.Select(s => -s).ToArray(), new long[] { 1, 2, 3 });
        }

        var windows = Attn.Attend(Partition(y), AttentionBias());
        y = Merge(windows, x.shape[0]);
        if (Shifted)
        {
            y = roll(y, Shifts, new long[] { 1, 2, 3 });
        }

        x += y;
        return x + Mlp.call(Norm2.call(x));
    }

    /// <summary>Relative position bias [heads, L, L], plus the shift mask [nW, 1, L, L] when shifted.</summary>
    private Tensor AttentionBias()
    {
        var heads = Attn.Heads;
        var bias = RelativeTable.index(_relativeIndex).reshape(Tokens, Tokens, heads).permute(2, 0, 1).unsqueeze(0);
        return _mask is null ? bias : bias + _mask;
    }

    private Tensor Partition(Tensor y) =>
        y.reshape(y.shape[0], Grid.T / Window.T, Window.T, Grid.H / Window.H, Window.H, Grid.W / Window.W, Window.W, y.shape[4])
            .permute(0, 1, 3, 5, 2, 4, 6, 7).reshape(-1, Tokens, y.shape[4]);

    private Tensor Merge(Tensor windows, long n) =>
        windows.reshape(n, Grid.T / Window.T, Grid.H / Window.H, Grid.W / Window.W, Window.T, Window.H, Window.W, windows.shape[2])
            .permute(0, 1, 4, 2, 5, 3, 6, 7).reshape(n, Grid.T, Grid.H, Grid.W, windows.shape[2]);

    public string Export(GraphWriter w, string x)
    {
        ArgumentNullException.ThrowIfNull(w);
        var c = Attn.Dim;
        var y = w.LayerNorm(x, Norm1);
        if (Shifted)
        {
            y = Roll(w, y, Shifts.Select(s => -s).ToArray());
        }

        var partitioned = w.Reshape(
            w.Transpose(w.Reshape(y, -1, Grid.T / Window.T, Window.T, Grid.H / Window.H, Window.H, Grid.W / Window.W, Window.W, c), 0, 1, 3, 5, 2, 4, 6, 7),
            -1, Tokens, c);
        float[] biasValues;
        using (no_grad())
        {
            biasValues = Weights.Of(AttentionBias());
        }

        var groups = Shifted ? Windows : 1;
        var bias = w.Constant(biasValues, groups, Attn.Heads, Tokens, Tokens);
        var attended = Attn.Export(w, partitioned, Tokens, bias, groups);
        y = w.Reshape(
            w.Transpose(w.Reshape(attended, -1, Grid.T / Window.T, Grid.H / Window.H, Grid.W / Window.W, Window.T, Window.H, Window.W, c), 0, 1, 4, 2, 5, 3, 6, 7),
            -1, Grid.T, Grid.H, Grid.W, c);
        if (Shifted)
        {
            y = Roll(w, y, Shifts);
        }

        x = w.Add(x, y);
        return w.Add(x, Mlp.Export(w, w.LayerNorm(x, Norm2)));
    }

    /// <summary>torch.roll over axes 1..3 as Slice + Concat.</summary>
    private string Roll(GraphWriter w, string x, long[] shifts)
    {
        long[] sizes = [Grid.T, Grid.H, Grid.W];
        for (var a = 0; a < 3; a++)
        {
            var s = ((shifts[a] % sizes[a]) + sizes[a]) % sizes[a];
            if (s == 0)
            {
                continue;
            }

            var axis = w.Longs(a + 1);
            var tail = w.Op("Slice", [x, w.Longs(sizes[a] - s), w.Longs(sizes[a]), axis]);
            var head = w.Op("Slice", [x, w.Longs(0), w.Longs(sizes[a] - s), axis]);
            x = w.Op("Concat", [tail, head], ("axis", (long)(a + 1)));
        }

        return x;
    }

    /// <summary>
    /// Region labels of the rolled grid (per axis: [0, −window), [−window, −shift), [−shift, end)), partitioned into
    /// windows; pairs with different labels get <see cref="MaskValue"/>. Row-major [nW, L, L].
    /// </summary>
    private float[] ShiftMask()
    {
        static int Region(long i, long size, long window, long shift) => shift == 0 ? 0 : i < size - window ? 0 : i < size - shift ? 1 : 2;
        var labels = new int[Grid.T, Grid.H, Grid.W];
        for (var t = 0; t < Grid.T; t++)
        {
            for (var h = 0; h < Grid.H; h++)
            {
                for (var ww = 0; ww < Grid.W; ww++)
                {
                    labels[t, h, ww] = (Region(t, Grid.T, Window.T, Shift.T) * 9) + (Region(h, Grid.H, Window.H, Shift.H) * 3) + Region(ww, Grid.W, Window.W, Shift.W);
                }
            }
        }

        var windowLabels = new List<int[]>();
        for (var wt = 0; wt < Grid.T / Window.T; wt++)
        {
            for (var wh = 0; wh < Grid.H / Window.H; wh++)
            {
                for (var wx = 0; wx < Grid.W / Window.W; wx++)
                {
                    var list = new List<int>();
                    for (var t = 0; t < Window.T; t++)
                    {
                        for (var h = 0; h < Window.H; h++)
                        {
                            for (var ww = 0; ww < Window.W; ww++)
                            {
                                list.Add(labels[(wt * Window.T) + t, (wh * Window.H) + h, (wx * Window.W) + ww]);
                            }
                        }
                    }

                    windowLabels.Add([.. list]);
                }
            }
        }

        return [.. from labelsOf in windowLabels
                   from a in labelsOf
                   from b in labelsOf
                   select a == b ? 0f : MaskValue];
    }
}
