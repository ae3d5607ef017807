using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ServerlessVideo.Media.Flow;

/// <summary>
/// Dense TV-L1 optical flow in managed code: the Zach–Pock–Bischof duality scheme as described by Sánchez,
/// Meinhardt-Llopis and Facciolo ("TV-L1 Optical Flow Estimation", IPOL 2013), organised as OpenCV's
/// <c>DualTVL1OpticalFlow</c> organises it so that both give the same flow: a coarse-to-fine pyramid, several warps of
/// the second image per level (bicubic <c>remap</c> with OpenCV's 1/32-px positions and zero outside the image),
/// the thresholding step for the auxiliary field v, the primal update of u, the dual (Chambolle) update of p, a
/// median filter between outer iterations, and the mean-squared-update stopping rule.
/// </summary>
/// <remarks>
/// <para>Written because OpenCvSharp's TV-L1 (<c>DenseOpticalFlowExt.CreateDualTVL1</c>) crashes the process and
/// OpenCV's optflow module is not otherwise reachable from .NET here.</para>
/// <para>Flow is from frame 0 to frame 1 in pixels: frame0(x, y) ≈ frame1(x + u, y + v). Instances hold no mutable
/// state: one instance may be used from many threads. Each call rents its buffers from <see cref="ArrayPool{T}"/>;
/// rows are processed in parallel when a level has at least <see cref="ParallelPixels"/> pixels.</para>
/// </remarks>
public sealed class TvL1Flow
{
    /// <summary>Levels with fewer pixels run on one thread: below this, fork/join costs more than it saves.</summary>
    public const int ParallelPixels = 96 * 96;

    /// <summary>C's FLT_EPSILON (2^-23): OpenCV's "no gradient" threshold. Not <see cref="float.Epsilon"/>, the smallest denormal.</summary>
    private const float FltEpsilon = 1.1920929E-07f;

    /// <summary>OpenCV stops building the pyramid before a level narrower or lower than this.</summary>
    private const int MinLevelSize = 16;

    /// <summary>A shared instance with OpenCV 4.x's default parameters (<see cref="TvL1Parameters.OpenCv"/>).</summary>
    public static TvL1Flow Default { get; } = new(TvL1Parameters.OpenCv);

    /// <summary>Creates a solver with the given parameters (validated here).</summary>
    public TvL1Flow(TvL1Parameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        Parameters = parameters;
    }

    /// <summary>The parameters this solver runs with.</summary>
    public TvL1Parameters Parameters { get; }

    /// <summary>
    /// Computes the flow from <paramref name="frame0"/> to <paramref name="frame1"/> (8-bit grayscale, width × height,
    /// row-major) into <paramref name="flow"/>: 2·width·height floats, interleaved (x, y) per pixel like OpenCV's
    /// CV_32FC2. Width and height must be at least 3.
    /// </summary>
    public void Compute(ReadOnlySpan<byte> frame0, ReadOnlySpan<byte> frame1, int width, int height, Span<float> flow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 3);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 3);
        var n = checked(width * height);
        if (frame0.Length != n || frame1.Length != n)
        {
            throw new ArgumentException($"Frames must hold {width}×{height} = {n} bytes (got {frame0.Length} and {frame1.Length}).");
        }

        if (flow.Length != 2 * n)
        {
            throw new ArgumentException($"Flow must hold 2×{n} floats, got {flow.Length}.", nameof(flow));
        }

        using var solver = new Solver(Parameters, width, height);
        solver.Load(frame0, frame1);
        solver.Run();
        solver.CopyFlow(flow);
    }

    /// <summary>Convenience overload returning a new interleaved (x, y) flow array.</summary>
    public float[] Compute(ReadOnlySpan<byte> frame0, ReadOnlySpan<byte> frame1, int width, int height)
    {
        var flow = new float[2 * width * height];
        Compute(frame0, frame1, width, height, flow);
        return flow;
    }

    /// <summary>One computation: the pyramid, the per-level buffers and the row passes over them.</summary>
    private sealed class Solver : IDisposable
    {
        private readonly TvL1Parameters _p;
        private readonly List<float[]> _rented = [];
        private readonly int[] _widths;
        private readonly int[] _heights;
        private readonly float[][] _i0;
        private readonly float[][] _i1;
        private readonly float[][] _u1;
        private readonly float[][] _u2;

        // Level-0-sized work buffers, reused at every level (each level uses a w·h prefix).
        private readonly float[] _i1x;
        private readonly float[] _i1y;
        private readonly float[] _i1wx;
        private readonly float[] _i1wy;
        private readonly float[] _grad;
        private readonly float[] _rhoC;
        private readonly float[] _p11;
        private readonly float[] _p12;
        private readonly float[] _p21;
        private readonly float[] _p22;
        private readonly float[] _scratch;
        private readonly double[] _rowError;

        private readonly float _lambdaTheta;
        private readonly float _tauOverTheta;
        private readonly float _theta;

        // The level being solved (read by the row passes).
        private int _w;
        private int _h;
        private float[] _level0 = [];
        private float[] _level1 = [];
        private float[] _levelU1 = [];
        private float[] _levelU2 = [];

        private readonly Action<int, int> _warpRows;
        private readonly Action<int, int> _medianRows;
        private readonly Action<int> _iterateBlock;
        private readonly Action<int> _rowsBlock;
        private Action<int, int> _blockRows;
        private float[] _medianTarget = [];
        private int _blocks = 1;

        public Solver(TvL1Parameters p, int width, int height)
        {
            _p = p;
            _lambdaTheta = (float)(p.Lambda * p.Theta);
            _tauOverTheta = (float)(p.Tau / p.Theta);
            _theta = (float)p.Theta;

            var widths = new List<int> { width };
            var heights = new List<int> { height };
            while (widths.Count < p.ScalesNumber)
            {
                var (w, h) = TvL1Kernels.NextLevelSize(widths[^1], heights[^1], p);
                if (w < MinLevelSize || h < MinLevelSize)
                {
                    break;
                }

                widths.Add(w);
                heights.Add(h);
            }

            _widths = [.. widths];
            _heights = [.. heights];
            var levels = _widths.Length;
            _i0 = new float[levels][];
            _i1 = new float[levels][];
            _u1 = new float[levels][];
            _u2 = new float[levels][];
            for (var s = 0; s < levels; s++)
            {
                var size = _widths[s] * _heights[s];
                _i0[s] = Rent(size);
                _i1[s] = Rent(size);
                _u1[s] = Rent(size);
                _u2[s] = Rent(size);
            }

            var n = width * height;
            _i1x = Rent(n);
            _i1y = Rent(n);
            _i1wx = Rent(n);
            _i1wy = Rent(n);
            _grad = Rent(n);
            _rhoC = Rent(n);
            _p11 = Rent(n);
            _p12 = Rent(n);
            _p21 = Rent(n);
            _p22 = Rent(n);
            _scratch = Rent((width + 4) * (height + 4));
            _rowError = new double[height];

            _warpRows = WarpRows;
            _medianRows = MedianRows;
            _iterateBlock = IterateBlock;
            _rowsBlock = RowsBlock;
            _blockRows = _warpRows;
        }

        private float[] Rent(int size)
        {
            var a = ArrayPool<float>.Shared.Rent(size);
            _rented.Add(a);
            return a;
        }

        public void Dispose()
        {
            foreach (var a in _rented)
            {
                ArrayPool<float>.Shared.Return(a);
            }

            _rented.Clear();
        }

        public void Load(ReadOnlySpan<byte> frame0, ReadOnlySpan<byte> frame1)
        {
            for (var i = 0; i < frame0.Length; i++)
            {
                _i0[0][i] = frame0[i];
                _i1[0][i] = frame1[i];
            }

            for (var s = 1; s < _widths.Length; s++)
            {
                Downscale(_i0[s - 1], _i0[s], s);
                Downscale(_i1[s - 1], _i1[s], s);
            }
        }

        private void Downscale(float[] src, float[] dst, int level)
        {
            int sw = _widths[level - 1], sh = _heights[level - 1], dw = _widths[level], dh = _heights[level];
            if (_p.GaussianPyramid)
            {
                TvL1Kernels.PyrDown(src, sw, sh, dst, dw, dh, _scratch.AsSpan(0, sh * dw));
            }
            else
            {
                // resize(src, dst, Size(), s, s): OpenCV maps with 1/s exactly, not with the rounded size ratio.
                var scale = 1.0 / _p.ScaleStep;
                TvL1Kernels.ResizeBilinear(src, sw, sh, dst, dw, dh, scale, scale);
            }
        }

        public void Run()
        {
            var coarsest = _widths.Length - 1;
            var top = _widths[coarsest] * _heights[coarsest];
            Array.Clear(_u1[coarsest], 0, top);
            Array.Clear(_u2[coarsest], 0, top);
            var zoom = (float)(1.0 / (_p.GaussianPyramid ? 0.5 : _p.ScaleStep));
            for (var s = coarsest; ; s--)
            {
                SolveLevel(s);
                if (s == 0)
                {
                    break;
                }

                // Upsample u to the finer level (resize to its size, INTER_LINEAR) and rescale it to its pixels.
                int sw = _widths[s], sh = _heights[s], dw = _widths[s - 1], dh = _heights[s - 1];
                var scaleX = 1.0 / ((double)dw / sw);
                var scaleY = 1.0 / ((double)dh / sh);
                TvL1Kernels.ResizeBilinear(_u1[s], sw, sh, _u1[s - 1], dw, dh, scaleX, scaleY);
                TvL1Kernels.ResizeBilinear(_u2[s], sw, sh, _u2[s - 1], dw, dh, scaleX, scaleY);
                var n = dw * dh;
                var u1 = _u1[s - 1].AsSpan(0, n);
                var u2 = _u2[s - 1].AsSpan(0, n);
                for (var i = 0; i < n; i++)
                {
                    u1[i] *= zoom;
                    u2[i] *= zoom;
                }
            }
        }

        public void CopyFlow(Span<float> flow)
        {
            var u1 = _u1[0];
            var u2 = _u2[0];
            for (var i = 0; i < flow.Length / 2; i++)
            {
                flow[2 * i] = u1[i];
                flow[(2 * i) + 1] = u2[i];
            }
        }

        private void SolveLevel(int s)
        {
            _w = _widths[s];
            _h = _heights[s];
            _level0 = _i0[s];
            _level1 = _i1[s];
            _levelU1 = _u1[s];
            _levelU2 = _u2[s];
            var n = _w * _h;

            // Row blocks for this level: one (serial) below ParallelPixels, else a few per core. Every pixel's
            // arithmetic is the same whatever the split, so the flow does not depend on it.
            _blocks = n >= ParallelPixels ? Math.Min(_h / 4, Environment.ProcessorCount * 2) : 1;
            _blocks = Math.Max(_blocks, 1);

            TvL1Kernels.CenteredGradient(_level1.AsSpan(0, n), _w, _h, _i1x, _i1y);
            Array.Clear(_p11, 0, n);
            Array.Clear(_p12, 0, n);
            Array.Clear(_p21, 0, n);
            Array.Clear(_p22, 0, n);

            // OpenCV compares a sum of squared updates over the level with epsilon²·area.
            var scaledEpsilon = _p.Epsilon * _p.Epsilon * n;
            for (var warp = 0; warp < _p.Warps; warp++)
            {
                ForBlocks(_warpRows);
                var error = double.MaxValue;
                for (var outer = 0; error > scaledEpsilon && outer < _p.OuterIterations; outer++)
                {
                    if (_p.MedianFiltering > 1)
                    {
                        Median(_levelU1);
                        Median(_levelU2);
                    }

                    for (var inner = 0; error > scaledEpsilon && inner < _p.InnerIterations; inner++)
                    {
                        Iterate();
                        error = 0;
                        for (var y = 0; y < _h; y++)
                        {
                            error += _rowError[y];
                        }
                    }
                }
            }
        }

        /// <summary>
        /// One primal–dual iteration with a single fork/join: each block does its primal rows, then the dual rows
        /// whose forward differences stay inside the block; the last row of each block but the bottom one (its
        /// dual step needs the next block's new u) is done afterwards on this thread. The next primal step reads p
        /// one row up, across the block boundary, only after that.
        /// </summary>
        private void Iterate()
        {
            if (_blocks == 1)
            {
                PrimalRows(0, _h);
                DualRows(0, _h);
                return;
            }

            Parallel.For(0, _blocks, _iterateBlock);
            for (var b = 0; b < _blocks - 1; b++)
            {
                var last = BlockEnd(b) - 1;
                DualRows(last, last + 1);
            }
        }

        private void IterateBlock(int b)
        {
            int y0 = BlockEnd(b - 1), y1 = BlockEnd(b);
            PrimalRows(y0, y1);
            DualRows(y0, y1 == _h ? y1 : y1 - 1);
        }

        private int BlockEnd(int b) => (b + 1) * _h / _blocks;

        /// <summary>In-place k×k median of one flow component (cv::medianBlur).</summary>
        private void Median(float[] component)
        {
            MedianFilter.Pad(component.AsSpan(0, _w * _h), _w, _h, _p.MedianFiltering, _scratch);
            _medianTarget = component;
            ForBlocks(_medianRows);
        }

        private void MedianRows(int y0, int y1) =>
            MedianFilter.FilterRows(_scratch, _w, _p.MedianFiltering, _medianTarget, y0, y1);

        /// <summary>Runs a row pass over the level's blocks (in parallel when there are several).</summary>
        private void ForBlocks(Action<int, int> rows)
        {
            if (_blocks == 1)
            {
                rows(0, _h);
                return;
            }

            _blockRows = rows;
            Parallel.For(0, _blocks, _rowsBlock);
        }

        private void RowsBlock(int b) => _blockRows(BlockEnd(b - 1), BlockEnd(b));

        /// <summary>
        /// Warps I1 and ∇I1 by the current u (bicubic, 1/32-px positions, zero outside the image, as
        /// <c>remap(INTER_CUBIC, BORDER_CONSTANT)</c>) and stores |∇I1w|² and the constant part of the linearised
        /// residual ρ(u) = I1w + ∇I1w·(u − u0) − I0.
        /// </summary>
        private void WarpRows(int y0, int y1)
        {
            int w = _w, h = _h;
            var weights = TvL1Kernels.CubicWeights;
            const float tab = TvL1Kernels.InterTabSize;
            const int mask = TvL1Kernels.InterTabSize - 1;
            var i0 = _level0;
            var i1 = _level1;
            var ix = _i1x;
            var iy = _i1y;
            var u1 = _levelU1;
            var u2 = _levelU2;
            for (var y = y0; y < y1; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    var i = (y * w) + x;
                    var mx = (int)MathF.Round((x + u1[i]) * tab);
                    var my = (int)MathF.Round((y + u2[i]) * tab);
                    var sx = (mx >> TvL1Kernels.InterBits) - 1;
                    var sy = (my >> TvL1Kernels.InterBits) - 1;
                    var wo = (((my & mask) * TvL1Kernels.InterTabSize) + (mx & mask)) * 16;
                    float v, vx, vy;
                    if ((uint)sx < (uint)(w - 3) && (uint)sy < (uint)(h - 3))
                    {
                        var o = (sy * w) + sx;
                        v = Tap16(i1, o, w, weights, wo);
                        vx = Tap16(ix, o, w, weights, wo);
                        vy = Tap16(iy, o, w, weights, wo);
                    }
                    else if (sx >= w || sx + 4 <= 0 || sy >= h || sy + 4 <= 0)
                    {
                        v = vx = vy = 0f;
                    }
                    else
                    {
                        v = vx = vy = 0f;
                        for (var r = 0; r < 4; r++)
                        {
                            var yy = sy + r;
                            if ((uint)yy >= (uint)h)
                            {
                                continue;
                            }

                            for (var c = 0; c < 4; c++)
                            {
                                var xx = sx + c;
                                if ((uint)xx < (uint)w)
                                {
                                    var k = (yy * w) + xx;
                                    var wt = weights[wo + (r * 4) + c];
                                    v += i1[k] * wt;
                                    vx += ix[k] * wt;
                                    vy += iy[k] * wt;
                                }
                            }
                        }
                    }

                    _i1wx[i] = vx;
                    _i1wy[i] = vy;
                    _grad[i] = (vx * vx) + (vy * vy);
                    _rhoC[i] = v - (vx * u1[i]) - (vy * u2[i]) - i0[i];
                }
            }
        }

        /// <summary>
        /// The 4×4 bicubic sum in remap's order: each row left to right, rows added top to bottom. Kept scalar on
        /// purpose: a column-wise (SIMD) order changes the last bits, and TV-L1 amplifies them at a few occlusion
        /// pixels enough to double the RMSE against OpenCV's golden flow (0.019 → 0.039 px).
        /// </summary>
        private static float Tap16(float[] img, int o, int w, float[] wt, int wo)
        {
            var sum = (img[o] * wt[wo]) + (img[o + 1] * wt[wo + 1]) + (img[o + 2] * wt[wo + 2]) + (img[o + 3] * wt[wo + 3]);
            o += w;
            sum += (img[o] * wt[wo + 4]) + (img[o + 1] * wt[wo + 5]) + (img[o + 2] * wt[wo + 6]) + (img[o + 3] * wt[wo + 7]);
            o += w;
            sum += (img[o] * wt[wo + 8]) + (img[o + 1] * wt[wo + 9]) + (img[o + 2] * wt[wo + 10]) + (img[o + 3] * wt[wo + 11]);
            o += w;
            sum += (img[o] * wt[wo + 12]) + (img[o + 1] * wt[wo + 13]) + (img[o + 2] * wt[wo + 14]) + (img[o + 3] * wt[wo + 15]);
            return sum;
        }

        /// <summary>
        /// One primal step per pixel: v = TH(u) (the pointwise thresholding of the data term), then
        /// u = v + θ·div p. Reads p and its left/upper neighbours, writes u in place, stores each row's squared update.
        /// Interior pixels run <see cref="Vector{T}.Count"/> at a time; the first row and column (whose divergence
        /// has no left/upper neighbour) and the row tails run scalar.
        /// </summary>
        private void PrimalRows(int y0, int y1)
        {
            var w = _w;
            var lanes = Vector<float>.Count;
            var lt = new Vector<float>(_lambdaTheta);
            var minusLt = -lt;
            var theta = new Vector<float>(_theta);
            var tiny = new Vector<float>(FltEpsilon);
            var u1 = _levelU1;
            var u2 = _levelU2;
            for (var y = y0; y < y1; y++)
            {
                var row = y * w;
                var rowError = PrimalPixel(row, 0, y);
                var x = 1;
                if (y > 0 && Vector.IsHardwareAccelerated)
                {
                    var err = Vector<float>.Zero;
                    for (; x <= w - lanes; x += lanes)
                    {
                        var i = row + x;
                        var div1 = (Load(_p11, i) - Load(_p11, i - 1)) + (Load(_p12, i) - Load(_p12, i - w));
                        var div2 = (Load(_p21, i) - Load(_p21, i - 1)) + (Load(_p22, i) - Load(_p22, i - w));
                        var gx = Load(_i1wx, i);
                        var gy = Load(_i1wy, i);
                        var g2 = Load(_grad, i);
                        var a = Load(u1, i);
                        var b = Load(u2, i);
                        var rho = Load(_rhoC, i) + ((gx * a) + (gy * b));
                        var ltg = lt * g2;

                        // The step along ∇I1w: +λθ below −λθ|∇I1w|², −λθ above +λθ|∇I1w|², else −ρ/|∇I1w|² (0 without gradient).
                        var inside = Vector.ConditionalSelect(Vector.GreaterThan(g2, tiny), -rho / g2, Vector<float>.Zero);
                        var fi = Vector.ConditionalSelect(
                            Vector.LessThan(rho, -ltg),
                            lt,
                            Vector.ConditionalSelect(Vector.GreaterThan(rho, ltg), minusLt, inside));
                        var na = a + (fi * gx) + (theta * div1);
                        var nb = b + (fi * gy) + (theta * div2);
                        na.CopyTo(u1, i);
                        nb.CopyTo(u2, i);
                        var da = na - a;
                        var db = nb - b;
                        err += (da * da) + (db * db);
                    }

                    rowError += Vector.Sum(err);
                }

                for (; x < w; x++)
                {
                    rowError += PrimalPixel(row + x, x, y);
                }

                _rowError[y] = rowError;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector<float> Load(float[] a, int i) => new(a, i);

        /// <summary>Scalar primal step at one pixel; returns its squared update.</summary>
        private float PrimalPixel(int i, int x, int y)
        {
            var w = _w;
            var lt = _lambdaTheta;

            // div p with p = 0 outside the image on the left/top (backward differences).
            float div1, div2;
            if (x > 0)
            {
                div1 = y > 0
                    ? (_p11[i] - _p11[i - 1]) + (_p12[i] - _p12[i - w])
                    : _p11[i] - _p11[i - 1] + _p12[i];
                div2 = y > 0
                    ? (_p21[i] - _p21[i - 1]) + (_p22[i] - _p22[i - w])
                    : _p21[i] - _p21[i - 1] + _p22[i];
            }
            else
            {
                div1 = y > 0 ? _p11[i] + _p12[i] - _p12[i - w] : _p11[i] + _p12[i];
                div2 = y > 0 ? _p21[i] + _p22[i] - _p22[i - w] : _p21[i] + _p22[i];
            }

            var gx = _i1wx[i];
            var gy = _i1wy[i];
            var g2 = _grad[i];
            var a = _levelU1[i];
            var b = _levelU2[i];
            var rho = _rhoC[i] + ((gx * a) + (gy * b));
            var fi = 0f;
            if (rho < -lt * g2)
            {
                fi = lt;
            }
            else if (rho > lt * g2)
            {
                fi = -lt;
            }
            else if (g2 > FltEpsilon)
            {
                fi = -rho / g2;
            }

            var na = a + (fi * gx) + (_theta * div1);
            var nb = b + (fi * gy) + (_theta * div2);
            _levelU1[i] = na;
            _levelU2[i] = nb;
            return ((na - a) * (na - a)) + ((nb - b) * (nb - b));
        }

        /// <summary>
        /// Dual step per pixel: p = (p + (τ/θ)∇u) / (1 + (τ/θ)|∇u|) with forward differences (0 past the last
        /// row/column). Vectorised except for each row's last pixels.
        /// </summary>
        private void DualRows(int y0, int y1)
        {
            int w = _w, h = _h;
            var lanes = Vector<float>.Count;
            var taut = new Vector<float>(_tauOverTheta);
            var u1 = _levelU1;
            var u2 = _levelU2;
            for (var y = y0; y < y1; y++)
            {
                var lastRow = y == h - 1;
                var row = y * w;
                var x = 0;
                if (Vector.IsHardwareAccelerated)
                {
                    // x + lanes ≤ w − 1 keeps the right neighbour (i + 1) inside the row.
                    for (; x < w - lanes; x += lanes)
                    {
                        var i = row + x;
                        var a = Load(u1, i);
                        var b = Load(u2, i);
                        var u1x = Load(u1, i + 1) - a;
                        var u2x = Load(u2, i + 1) - b;
                        var u1y = lastRow ? Vector<float>.Zero : Load(u1, i + w) - a;
                        var u2y = lastRow ? Vector<float>.Zero : Load(u2, i + w) - b;
                        var ng1 = Vector<float>.One + (taut * Vector.SquareRoot((u1x * u1x) + (u1y * u1y)));
                        var ng2 = Vector<float>.One + (taut * Vector.SquareRoot((u2x * u2x) + (u2y * u2y)));
                        ((Load(_p11, i) + (taut * u1x)) / ng1).CopyTo(_p11, i);
                        ((Load(_p12, i) + (taut * u1y)) / ng1).CopyTo(_p12, i);
                        ((Load(_p21, i) + (taut * u2x)) / ng2).CopyTo(_p21, i);
                        ((Load(_p22, i) + (taut * u2y)) / ng2).CopyTo(_p22, i);
                    }
                }

                for (; x < w; x++)
                {
                    DualPixel(row + x, x, lastRow);
                }
            }
        }

        private void DualPixel(int i, int x, bool lastRow)
        {
            var w = _w;
            var taut = _tauOverTheta;
            var u1 = _levelU1;
            var u2 = _levelU2;
            float u1x = 0f, u1y = 0f, u2x = 0f, u2y = 0f;
            if (x < w - 1)
            {
                u1x = u1[i + 1] - u1[i];
                u2x = u2[i + 1] - u2[i];
            }

            if (!lastRow)
            {
                u1y = u1[i + w] - u1[i];
                u2y = u2[i + w] - u2[i];
            }

            var ng1 = 1f + (taut * MathF.Sqrt((u1x * u1x) + (u1y * u1y)));
            var ng2 = 1f + (taut * MathF.Sqrt((u2x * u2x) + (u2y * u2y)));
            _p11[i] = (_p11[i] + (taut * u1x)) / ng1;
            _p12[i] = (_p12[i] + (taut * u1y)) / ng1;
            _p21[i] = (_p21[i] + (taut * u2x)) / ng2;
            _p22[i] = (_p22[i] + (taut * u2y)) / ng2;
        }
    }
}
