using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ServerlessVideo.Media.Flow;

/// <summary>
/// k×k median (k = 3 or 5) of a float image with replicated borders, as <c>cv::medianBlur</c> on CV_32F. Each output
/// is the exact median of its k² neighbours, found by a sorting network (Batcher's odd–even merge sort, pruned to the
/// comparators the middle element depends on) run on <see cref="Vector{T}"/> lanes, so one pass of the network
/// filters <see cref="Vector{T}.Count"/> pixels of a row at once.
/// </summary>
internal static class MedianFilter
{
    // Flattened comparator pairs: [a0, b0, a1, b1, …].
    private static readonly int[] Network9 = Flatten(BuildMedianNetwork(9));
    private static readonly int[] Network25 = Flatten(BuildMedianNetwork(25));

    private static int[] Flatten((int A, int B)[] network) => [.. network.SelectMany(c => new[] { c.A, c.B })];

    /// <summary>Filters <paramref name="image"/> in place; <paramref name="padded"/> is scratch of (w+k−1)·(h+k−1).</summary>
    public static void Apply(Span<float> image, int w, int h, int k, Span<float> padded)
    {
        Pad(image, w, h, k, padded);
        FilterRows(padded, w, k, image, 0, h);
    }

    /// <summary>Copies <paramref name="image"/> into <paramref name="padded"/> with k/2 replicated pixels on each side.</summary>
    public static void Pad(ReadOnlySpan<float> image, int w, int h, int k, Span<float> padded)
    {
        var r = k / 2;
        var pw = w + (2 * r);
        var ph = h + (2 * r);
        for (var py = 0; py < ph; py++)
        {
            var src = image.Slice(Math.Clamp(py - r, 0, h - 1) * w, w);
            var dst = padded.Slice(py * pw, pw);
            dst[..r].Fill(src[0]);
            src.CopyTo(dst[r..]);
            dst[(r + w)..].Fill(src[w - 1]);
        }
    }

    /// <summary>Writes the medians of rows [<paramref name="y0"/>, <paramref name="y1"/>) of a padded image into <paramref name="image"/>.</summary>
    public static void FilterRows(ReadOnlySpan<float> padded, int w, int k, Span<float> image, int y0, int y1)
    {
        var pw = w + (2 * (k / 2));
        var network = k == 3 ? Network9 : Network25;
        var n = k * k;
        var lanes = Vector<float>.Count;
        Span<Vector<float>> v = stackalloc Vector<float>[25];
        ref var v0 = ref MemoryMarshal.GetReference(v);
        ref var p0 = ref MemoryMarshal.GetReference(padded);
        Span<float> s = stackalloc float[25];
        for (var y = y0; y < y1; y++)
        {
            var outRow = image.Slice(y * w, w);
            if (Vector.IsHardwareAccelerated && w >= lanes)
            {
                for (var x0 = 0; x0 < w; x0 += lanes)
                {
                    // The last block overlaps the previous one instead of running a scalar tail: reads come from the
                    // padded copy, so recomputing a few pixels gives the same values.
                    var x = Math.Min(x0, w - lanes);
                    if (k == 5)
                    {
                        Median25(ref Unsafe.Add(ref p0, (y * pw) + x), pw).CopyTo(outRow.Slice(x, lanes));
                        continue;
                    }

                    for (var dy = 0; dy < k; dy++)
                    {
                        var rowStart = ((y + dy) * pw) + x;
                        for (var dx = 0; dx < k; dx++)
                        {
                            Unsafe.Add(ref v0, (dy * k) + dx) = Vector.LoadUnsafe(ref p0, (nuint)(rowStart + dx));
                        }
                    }

                    for (var c = 0; c < network.Length; c += 2)
                    {
                        ref var va = ref Unsafe.Add(ref v0, network[c]);
                        ref var vb = ref Unsafe.Add(ref v0, network[c + 1]);
                        var lo = Vector.Min(va, vb);
                        vb = Vector.Max(va, vb);
                        va = lo;
                    }

                    v[n / 2].CopyTo(outRow.Slice(x, lanes));
                }
            }
            else
            {
                for (var x = 0; x < w; x++)
                {
                    for (var dy = 0; dy < k; dy++)
                    {
                        padded.Slice(((y + dy) * pw) + x, k).CopyTo(s.Slice(dy * k, k));
                    }

                    for (var c = 0; c < network.Length; c += 2)
                    {
                        int a = network[c], b = network[c + 1];
                        var lo = MathF.Min(s[a], s[b]);
                        s[b] = MathF.Max(s[a], s[b]);
                        s[a] = lo;
                    }

                    outRow[x] = s[n / 2];
                }
            }
        }
    }

    /// <summary>
    /// Median of the 5×5 windows whose top-left corners are the <see cref="Vector{T}.Count"/> consecutive floats at
    /// <paramref name="topLeft"/> (rows <paramref name="stride"/> apart). The straight-line form of
    /// <c>BuildMedianNetwork(25)</c> (printed from it, 113 comparators): locals stay in registers where the array form
    /// spills every comparator to memory, about twice as fast.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Vector<float> Median25(ref readonly float topLeft, int stride)
    {
        var o1 = (nuint)stride;
        var o2 = 2 * o1;
        var o3 = 3 * o1;
        var o4 = 4 * o1;
        Vector<float> v0 = Vector.LoadUnsafe(in topLeft), v1 = Vector.LoadUnsafe(in topLeft, 1), v2 = Vector.LoadUnsafe(in topLeft, 2), v3 = Vector.LoadUnsafe(in topLeft, 3), v4 = Vector.LoadUnsafe(in topLeft, 4);
        Vector<float> v5 = Vector.LoadUnsafe(in topLeft, o1), v6 = Vector.LoadUnsafe(in topLeft, o1 + 1), v7 = Vector.LoadUnsafe(in topLeft, o1 + 2), v8 = Vector.LoadUnsafe(in topLeft, o1 + 3), v9 = Vector.LoadUnsafe(in topLeft, o1 + 4);
        Vector<float> v10 = Vector.LoadUnsafe(in topLeft, o2), v11 = Vector.LoadUnsafe(in topLeft, o2 + 1), v12 = Vector.LoadUnsafe(in topLeft, o2 + 2), v13 = Vector.LoadUnsafe(in topLeft, o2 + 3), v14 = Vector.LoadUnsafe(in topLeft, o2 + 4);
        Vector<float> v15 = Vector.LoadUnsafe(in topLeft, o3), v16 = Vector.LoadUnsafe(in topLeft, o3 + 1), v17 = Vector.LoadUnsafe(in topLeft, o3 + 2), v18 = Vector.LoadUnsafe(in topLeft, o3 + 3), v19 = Vector.LoadUnsafe(in topLeft, o3 + 4);
        Vector<float> v20 = Vector.LoadUnsafe(in topLeft, o4), v21 = Vector.LoadUnsafe(in topLeft, o4 + 1), v22 = Vector.LoadUnsafe(in topLeft, o4 + 2), v23 = Vector.LoadUnsafe(in topLeft, o4 + 3), v24 = Vector.LoadUnsafe(in topLeft, o4 + 4);
        (v0, v1) = (Vector.Min(v0, v1), Vector.Max(v0, v1));
        (v2, v3) = (Vector.Min(v2, v3), Vector.Max(v2, v3));
        (v4, v5) = (Vector.Min(v4, v5), Vector.Max(v4, v5));
        (v6, v7) = (Vector.Min(v6, v7), Vector.Max(v6, v7));
        (v8, v9) = (Vector.Min(v8, v9), Vector.Max(v8, v9));
        (v10, v11) = (Vector.Min(v10, v11), Vector.Max(v10, v11));
        (v12, v13) = (Vector.Min(v12, v13), Vector.Max(v12, v13));
        (v14, v15) = (Vector.Min(v14, v15), Vector.Max(v14, v15));
        (v16, v17) = (Vector.Min(v16, v17), Vector.Max(v16, v17));
        (v18, v19) = (Vector.Min(v18, v19), Vector.Max(v18, v19));
        (v20, v21) = (Vector.Min(v20, v21), Vector.Max(v20, v21));
        (v22, v23) = (Vector.Min(v22, v23), Vector.Max(v22, v23));
        (v0, v2) = (Vector.Min(v0, v2), Vector.Max(v0, v2));
        (v1, v3) = (Vector.Min(v1, v3), Vector.Max(v1, v3));
        (v4, v6) = (Vector.Min(v4, v6), Vector.Max(v4, v6));
        (v5, v7) = (Vector.Min(v5, v7), Vector.Max(v5, v7));
        (v8, v10) = (Vector.Min(v8, v10), Vector.Max(v8, v10));
        (v9, v11) = (Vector.Min(v9, v11), Vector.Max(v9, v11));
        (v12, v14) = (Vector.Min(v12, v14), Vector.Max(v12, v14));
        (v13, v15) = (Vector.Min(v13, v15), Vector.Max(v13, v15));
        (v16, v18) = (Vector.Min(v16, v18), Vector.Max(v16, v18));
        (v17, v19) = (Vector.Min(v17, v19), Vector.Max(v17, v19));
        (v20, v22) = (Vector.Min(v20, v22), Vector.Max(v20, v22));
        (v21, v23) = (Vector.Min(v21, v23), Vector.Max(v21, v23));
        (v1, v2) = (Vector.Min(v1, v2), Vector.Max(v1, v2));
        (v5, v6) = (Vector.Min(v5, v6), Vector.Max(v5, v6));
        (v9, v10) = (Vector.Min(v9, v10), Vector.Max(v9, v10));
        (v13, v14) = (Vector.Min(v13, v14), Vector.Max(v13, v14));
        (v17, v18) = (Vector.Min(v17, v18), Vector.Max(v17, v18));
        (v21, v22) = (Vector.Min(v21, v22), Vector.Max(v21, v22));
        (v0, v4) = (Vector.Min(v0, v4), Vector.Max(v0, v4));
        (v1, v5) = (Vector.Min(v1, v5), Vector.Max(v1, v5));
        (v2, v6) = (Vector.Min(v2, v6), Vector.Max(v2, v6));
        (v3, v7) = (Vector.Min(v3, v7), Vector.Max(v3, v7));
        (v8, v12) = (Vector.Min(v8, v12), Vector.Max(v8, v12));
        (v9, v13) = (Vector.Min(v9, v13), Vector.Max(v9, v13));
        (v10, v14) = (Vector.Min(v10, v14), Vector.Max(v10, v14));
        (v11, v15) = (Vector.Min(v11, v15), Vector.Max(v11, v15));
        (v16, v20) = (Vector.Min(v16, v20), Vector.Max(v16, v20));
        (v17, v21) = (Vector.Min(v17, v21), Vector.Max(v17, v21));
        (v18, v22) = (Vector.Min(v18, v22), Vector.Max(v18, v22));
        (v19, v23) = (Vector.Min(v19, v23), Vector.Max(v19, v23));
        (v2, v4) = (Vector.Min(v2, v4), Vector.Max(v2, v4));
        (v3, v5) = (Vector.Min(v3, v5), Vector.Max(v3, v5));
        (v10, v12) = (Vector.Min(v10, v12), Vector.Max(v10, v12));
        (v11, v13) = (Vector.Min(v11, v13), Vector.Max(v11, v13));
        (v18, v20) = (Vector.Min(v18, v20), Vector.Max(v18, v20));
        (v19, v21) = (Vector.Min(v19, v21), Vector.Max(v19, v21));
        (v1, v2) = (Vector.Min(v1, v2), Vector.Max(v1, v2));
        (v3, v4) = (Vector.Min(v3, v4), Vector.Max(v3, v4));
        (v5, v6) = (Vector.Min(v5, v6), Vector.Max(v5, v6));
        (v9, v10) = (Vector.Min(v9, v10), Vector.Max(v9, v10));
        (v11, v12) = (Vector.Min(v11, v12), Vector.Max(v11, v12));
        (v13, v14) = (Vector.Min(v13, v14), Vector.Max(v13, v14));
        (v17, v18) = (Vector.Min(v17, v18), Vector.Max(v17, v18));
        (v19, v20) = (Vector.Min(v19, v20), Vector.Max(v19, v20));
        (v21, v22) = (Vector.Min(v21, v22), Vector.Max(v21, v22));
        (v0, v8) = (Vector.Min(v0, v8), Vector.Max(v0, v8));
        (v1, v9) = (Vector.Min(v1, v9), Vector.Max(v1, v9));
        (v2, v10) = (Vector.Min(v2, v10), Vector.Max(v2, v10));
        (v3, v11) = (Vector.Min(v3, v11), Vector.Max(v3, v11));
        (v4, v12) = (Vector.Min(v4, v12), Vector.Max(v4, v12));
        (v5, v13) = (Vector.Min(v5, v13), Vector.Max(v5, v13));
        (v6, v14) = (Vector.Min(v6, v14), Vector.Max(v6, v14));
        (v7, v15) = (Vector.Min(v7, v15), Vector.Max(v7, v15));
        (v16, v24) = (Vector.Min(v16, v24), Vector.Max(v16, v24));
        (v4, v8) = (Vector.Min(v4, v8), Vector.Max(v4, v8));
        (v5, v9) = (Vector.Min(v5, v9), Vector.Max(v5, v9));
        (v6, v10) = (Vector.Min(v6, v10), Vector.Max(v6, v10));
        (v7, v11) = (Vector.Min(v7, v11), Vector.Max(v7, v11));
        (v20, v24) = (Vector.Min(v20, v24), Vector.Max(v20, v24));
        (v2, v4) = (Vector.Min(v2, v4), Vector.Max(v2, v4));
        (v3, v5) = (Vector.Min(v3, v5), Vector.Max(v3, v5));
        (v6, v8) = (Vector.Min(v6, v8), Vector.Max(v6, v8));
        (v7, v9) = (Vector.Min(v7, v9), Vector.Max(v7, v9));
        (v10, v12) = (Vector.Min(v10, v12), Vector.Max(v10, v12));
        (v11, v13) = (Vector.Min(v11, v13), Vector.Max(v11, v13));
        (v18, v20) = (Vector.Min(v18, v20), Vector.Max(v18, v20));
        (v19, v21) = (Vector.Min(v19, v21), Vector.Max(v19, v21));
        (v22, v24) = (Vector.Min(v22, v24), Vector.Max(v22, v24));
        (v1, v2) = (Vector.Min(v1, v2), Vector.Max(v1, v2));
        (v3, v4) = (Vector.Min(v3, v4), Vector.Max(v3, v4));
        (v5, v6) = (Vector.Min(v5, v6), Vector.Max(v5, v6));
        (v7, v8) = (Vector.Min(v7, v8), Vector.Max(v7, v8));
        (v9, v10) = (Vector.Min(v9, v10), Vector.Max(v9, v10));
        (v11, v12) = (Vector.Min(v11, v12), Vector.Max(v11, v12));
        (v13, v14) = (Vector.Min(v13, v14), Vector.Max(v13, v14));
        (v17, v18) = (Vector.Min(v17, v18), Vector.Max(v17, v18));
        (v19, v20) = (Vector.Min(v19, v20), Vector.Max(v19, v20));
        (v21, v22) = (Vector.Min(v21, v22), Vector.Max(v21, v22));
        (v23, v24) = (Vector.Min(v23, v24), Vector.Max(v23, v24));
        (v0, v16) = (Vector.Min(v0, v16), Vector.Max(v0, v16));
        (v1, v17) = (Vector.Min(v1, v17), Vector.Max(v1, v17));
        (v2, v18) = (Vector.Min(v2, v18), Vector.Max(v2, v18));
        (v3, v19) = (Vector.Min(v3, v19), Vector.Max(v3, v19));
        (v4, v20) = (Vector.Min(v4, v20), Vector.Max(v4, v20));
        (v5, v21) = (Vector.Min(v5, v21), Vector.Max(v5, v21));
        (v6, v22) = (Vector.Min(v6, v22), Vector.Max(v6, v22));
        (v7, v23) = (Vector.Min(v7, v23), Vector.Max(v7, v23));
        (v8, v24) = (Vector.Min(v8, v24), Vector.Max(v8, v24));
        (v8, v16) = (Vector.Min(v8, v16), Vector.Max(v8, v16));
        (v9, v17) = (Vector.Min(v9, v17), Vector.Max(v9, v17));
        (v10, v18) = (Vector.Min(v10, v18), Vector.Max(v10, v18));
        (v11, v19) = (Vector.Min(v11, v19), Vector.Max(v11, v19));
        (v12, v20) = (Vector.Min(v12, v20), Vector.Max(v12, v20));
        (v13, v21) = (Vector.Min(v13, v21), Vector.Max(v13, v21));
        (v6, v10) = (Vector.Min(v6, v10), Vector.Max(v6, v10));
        (v7, v11) = (Vector.Min(v7, v11), Vector.Max(v7, v11));
        (v12, v16) = (Vector.Min(v12, v16), Vector.Max(v12, v16));
        (v13, v17) = (Vector.Min(v13, v17), Vector.Max(v13, v17));
        (v10, v12) = (Vector.Min(v10, v12), Vector.Max(v10, v12));
        (v11, v13) = (Vector.Min(v11, v13), Vector.Max(v11, v13));
        (v11, v12) = (Vector.Min(v11, v12), Vector.Max(v11, v12));
        return v12;
    }

    /// <summary>
    /// Comparators (min to A, max to B) that place the median of n values at index n/2. Built as Batcher's odd–even
    /// merge sort for the next power of two with the extra inputs taken as +∞ (comparators touching them never move
    /// anything, so they are dropped), then pruned backwards to those the middle output depends on.
    /// </summary>
    internal static (int A, int B)[] BuildMedianNetwork(int n)
    {
        var size = 1;
        while (size < n)
        {
            size <<= 1;
        }

        var all = new List<(int, int)>();
        for (var p = 1; p < size; p <<= 1)
        {
            for (var k = p; k >= 1; k >>= 1)
            {
                for (var j = k % p; j + k < size; j += 2 * k)
                {
                    for (var i = 0; i < Math.Min(k, size - j - k); i++)
                    {
                        var a = i + j;
                        var b = i + j + k;
                        if (a / (2 * p) == b / (2 * p) && b < n)
                        {
                            all.Add((a, b));
                        }
                    }
                }
            }
        }

        var needed = new bool[n];
        needed[n / 2] = true;
        var kept = new List<(int, int)>();
        for (var c = all.Count - 1; c >= 0; c--)
        {
            var (a, b) = all[c];
            if (needed[a] || needed[b])
            {
                needed[a] = needed[b] = true;
                kept.Add((a, b));
            }
        }

        kept.Reverse();
        return [.. kept];
    }
}
