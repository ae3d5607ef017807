namespace ServerlessVideo.Media.Flow;

/// <summary>
/// Parameters of <see cref="TvL1Flow"/>, named as OpenCV's <c>DualTVL1OpticalFlow</c> names them. The defaults are
/// OpenCV 4.x's (<c>cv::optflow::DualTVL1OpticalFlow::create()</c>); <see cref="OpenCv24"/> is the older 2.4 variant
/// that OpenCV's regression data (<c>tvl1_flow.flo</c>) was generated with.
/// </summary>
/// <remarks>
/// OpenCV's <c>gamma</c> (illumination term) is fixed at its default 0 and <c>useInitialFlow</c> at false: neither is
/// implemented here.
/// </remarks>
public sealed record TvL1Parameters
{
    /// <summary>OpenCV 4.x defaults: tau 0.25, lambda 0.15, theta 0.3, 5 scales, 5 warps, epsilon 0.01,
    /// 30 inner × 10 outer iterations, scale step 0.8 (bilinear pyramid), 5×5 median filtering.</summary>
    public static TvL1Parameters OpenCv { get; } = new();

    /// <summary>
    /// OpenCV 2.4 (<c>cv::createOptFlow_DualTVL1()</c>, 2012–2014): the same tau/lambda/theta/scales/warps/epsilon, one
    /// loop of at most 300 iterations per warp, no median filtering, and a Gaussian <c>pyrDown</c> pyramid (5×5
    /// binomial smoothing, scale step 0.5). This is the configuration that produced OpenCV's golden
    /// <c>tvl1_flow.flo</c> used by <c>Video_calcOpticalFlowDual_TVL1.Regression</c>.
    /// </summary>
    public static TvL1Parameters OpenCv24 { get; } = new()
    {
        InnerIterations = 300,
        OuterIterations = 1,
        MedianFiltering = 1,
        ScaleStep = 0.5,
        GaussianPyramid = true,
    };

    /// <summary>Time step of the dual (Chambolle) update; ≤ 0.25 for stability.</summary>
    public double Tau { get; init; } = 0.25;

    /// <summary>Weight of the data (L1 brightness-constancy) term; smaller gives smoother flow.</summary>
    public double Lambda { get; init; } = 0.15;

    /// <summary>Coupling between the flow u and its auxiliary copy v.</summary>
    public double Theta { get; init; } = 0.3;

    /// <summary>Pyramid levels (fewer if a level would be smaller than 16 pixels on a side).</summary>
    public int ScalesNumber { get; init; } = 5;

    /// <summary>Warps of the second image per level.</summary>
    public int Warps { get; init; } = 5;

    /// <summary>Stop when the mean squared flow update of one iteration is below epsilon² (px²).</summary>
    public double Epsilon { get; init; } = 0.01;

    /// <summary>Iterations between median filterings.</summary>
    public int InnerIterations { get; init; } = 30;

    /// <summary>Median-filtering rounds per warp.</summary>
    public int OuterIterations { get; init; } = 10;

    /// <summary>Size ratio between pyramid levels, in (0, 1). Ignored (0.5) with <see cref="GaussianPyramid"/>.</summary>
    public double ScaleStep { get; init; } = 0.8;

    /// <summary>Median filter aperture applied to the flow before each outer iteration: 1 (off), 3 or 5.</summary>
    public int MedianFiltering { get; init; } = 5;

    /// <summary>
    /// Build the pyramid with OpenCV's <c>pyrDown</c> (Gaussian 5×5 then 2:1 decimation, as OpenCV 2.4 did) instead of
    /// bilinear resizing by <see cref="ScaleStep"/> (OpenCV ≥ 3).
    /// </summary>
    public bool GaussianPyramid { get; init; }

    internal void Validate()
    {
        static void Positive(double value, string name)
        {
            if (!double.IsFinite(value) || value <= 0)
            {
                throw new ArgumentOutOfRangeException(name, value, "Must be a positive number.");
            }
        }

        Positive(Tau, nameof(Tau));
        Positive(Lambda, nameof(Lambda));
        Positive(Theta, nameof(Theta));
        Positive(Epsilon, nameof(Epsilon));
        ArgumentOutOfRangeException.ThrowIfLessThan(ScalesNumber, 1, nameof(ScalesNumber));
        ArgumentOutOfRangeException.ThrowIfLessThan(Warps, 1, nameof(Warps));
        ArgumentOutOfRangeException.ThrowIfLessThan(InnerIterations, 1, nameof(InnerIterations));
        ArgumentOutOfRangeException.ThrowIfLessThan(OuterIterations, 1, nameof(OuterIterations));
        if (!GaussianPyramid && !(ScaleStep is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ScaleStep), ScaleStep, "Must lie strictly between 0 and 1.");
        }

        if (MedianFiltering is not (1 or 3 or 5))
        {
            throw new ArgumentOutOfRangeException(nameof(MedianFiltering), MedianFiltering, "Must be 1 (off), 3 or 5.");
        }
    }
}
