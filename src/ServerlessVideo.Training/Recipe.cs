using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Training.Nets;

namespace ServerlessVideo.Training;

/// <summary>Optional parts of a transformer block, each off in <see cref="Plain"/>.</summary>
/// <param name="RelativeTimeBias">Attention steps over time add a learnt relative position bias (TokenAttention).</param>
/// <param name="GatedMlp">The MLP is gated (GEGLU).</param>
public sealed record TransformerVariant(bool RelativeTimeBias, bool GatedMlp)
{
    public static TransformerVariant Plain { get; } = new(false, false);

    /// <summary>Both parts: what the committed TimeSformers are trained with.</summary>
    public static TransformerVariant Both { get; } = new(true, true);
}

/// <summary>Everything that defines a built-in model: architecture, sampling, preprocessing and the training schedule.</summary>
public sealed record Recipe(
    string Id,
    string Family,
    string Name,
    Func<int, VideoNet> Create,
    SamplingSpec Sampling,
    int Epochs,
    int TrainPerClass = 320,
    int ValidationPerClass = 30,
    int TestPerClass = 50,
    int Seed = 1234,
    double LearningRate = 3e-3)
{
    /// <summary>Epochs of linear learning-rate warm-up before the cosine decay (0: none).</summary>
    public int WarmupEpochs { get; init; }

    /// <summary>
    /// A committed frame-level model whose trained 2D CNN this one starts from (<see cref="VideoNet.InitialiseFrom"/>:
    /// inflated for I3D, the patch-embedding stem of the transformers), or null for a start from random weights.
    /// </summary>
    public string? InitialiseFrom { get; init; }

    /// <summary>
    /// Render new training clips for every epoch (from the next seeds of the train split) instead of repeating one set:
    /// SynthMotion is procedural, so data need never repeat.
    /// </summary>
    public bool FreshData { get; init; }

    /// <summary>
    /// Training clips' frames lie between 1 and this many times the sampled interval apart (temporal speed
    /// augmentation, order kept; 1: none). Validation and test clips are sampled as the pipeline samples.
    /// </summary>
    public double TrainingStretch { get; init; } = 1;

    /// <summary>AdamW (decoupled weight decay) instead of Adam with L2 regularisation.</summary>
    public bool AdamW { get; init; }

    /// <summary>Weight decay: L2 with Adam, decoupled with <see cref="AdamW"/>.</summary>
    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>For the TimeSformers: the optional parts of the block (<see cref="TransformerVariant"/>).</summary>
    public TransformerVariant Variant { get; init; } = TransformerVariant.Plain;

    /// <summary>Architecture hyper-parameters recorded in the manifest (attention scheme, windows, α, β …).</summary>
    public IReadOnlyDictionary<string, object>? Architecture { get; init; }

    public const int FrameSize = 64;

    public static readonly PreprocessingSpec Preprocessing = new(FrameSize, FrameSize, 255, [0.5, 0.5, 0.5], [0.25, 0.25, 0.25]);

    public static readonly IReadOnlyList<Recipe> All =
    [
        new("tsn-synthmotion", "tsn", "TSN: 2D CNN per segment frame, average consensus",
            classes => new TsnNet(classes), new SamplingSpec(8, null, null, 1, SamplingSpec.Segments), Epochs: 20),
        new("netvlad-synthmotion", "netvlad", "NetVLAD pooling of space-time CNN descriptors",
            classes => new NetVladNet(classes), new SamplingSpec(8, 4, null, 3), Epochs: 20),
        new("cnn-lstm-synthmotion", "cnn-lstm", "CNN + LSTM over the frame sequence",
            classes => new CnnLstmNet(classes, FrameSize), new SamplingSpec(8, 4, null, 3), Epochs: 20),
        new("two-stream-synthmotion", "two-stream", "Two-stream: RGB frames + stacked TV-L1 flow, late fusion",
            classes => new TwoStreamNet(classes), new SamplingSpec(TwoStreamNet.Flows + 1, 8, null, 3), Epochs: 30)
        {
            // The temporal stream takes new clips every few epochs (see TwoStreamNet.Fit); the spatial one starts from TSN.
            InitialiseFrom = "tsn-synthmotion",
            FreshData = true,
            Architecture = new Dictionary<string, object> { ["flowFields"] = TwoStreamNet.Flows, ["fusion"] = "late, weighted softmax average" },
        },
        new("c3d-synthmotion", "c3d", "C3D: 3×3×3 convolutions throughout",
            Cnn3dFamilies.C3d, Clip8, Epochs: 12),
        new("i3d-synthmotion", "i3d", "I3D: the TSN frame CNN inflated to 3D",
            Cnn3dFamilies.I3d, Clip8, Epochs: 12) { InitialiseFrom = "tsn-synthmotion" },
        new("r2plus1d-synthmotion", "r2plus1d", "R(2+1)D: 3D convolutions factorised into spatial and temporal ones",
            Cnn3dFamilies.R2Plus1d, Clip8, Epochs: 12),
        new("slowfast-synthmotion", "slowfast", "SlowFast: slow and fast pathways with lateral connections",
            classes => new SlowFastNet(classes), new SamplingSpec(16, 8, null, 3), Epochs: 12)
        {
            Architecture = new Dictionary<string, object> { ["alpha"] = SlowFastNet.Alpha, ["beta"] = 1.0 / SlowFastNet.BetaInverse },
        },
        .. TimeSformerNet.Schemes.Select(scheme => TimeSformer(scheme, TransformerVariant.Both)),
        new("video-swin-synthmotion", "video-swin", "Video Swin: shifted 3D-window attention",
            classes => new VideoSwinNet(classes, Clip8.ClipLength, FrameSize), Clip8, Epochs: 16, LearningRate: 5e-4)
        {
            InitialiseFrom = "tsn-synthmotion",
            FreshData = true,
            AdamW = true,
            WeightDecay = 0.05,
            WarmupEpochs = 1,
            Architecture = new Dictionary<string, object>
            {
                ["patch"] = Triple(VideoSwinNet.PatchSize),
                ["window"] = Triple(VideoSwinNet.WindowSize),
                ["shift"] = Triple(VideoSwinNet.ShiftSize),
                ["dims"] = VideoSwinNet.Dims,
                ["heads"] = VideoSwinNet.HeadCounts,
                ["blocksPerStage"] = VideoSwinNet.BlocksPerStage,
            },
        },
    ];

    private static SamplingSpec Clip8 => new(8, 4, null, 3);

    /// <summary>
    /// The TimeSformer of one attention scheme: the same start, data, schedule, width and depth for every scheme, so the
    /// table compares attention alone.
    /// </summary>
    public static Recipe TimeSformer(string scheme, TransformerVariant variant) =>
        new($"timesformer-{scheme}-synthmotion", "timesformer", $"TimeSformer, {scheme} attention",
            TimeSformerFactory(scheme, variant), Clip8, Epochs: 40, LearningRate: 5e-4)
        {
            InitialiseFrom = "tsn-synthmotion",
            FreshData = true,
            AdamW = true,
            WeightDecay = 0.05,
            WarmupEpochs = 1,
            Variant = variant,
            Architecture = TimeSformerArchitecture(scheme, variant),
        };

    /// <summary>
    /// This recipe with the block's optional parts set as given: the network and its architecture record change, the
    /// schedule and data stay (TimeSformers only).
    /// </summary>
    public Recipe WithVariant(TransformerVariant variant)
    {
        ArgumentNullException.ThrowIfNull(variant);
        if (Family != "timesformer")
        {
            throw new ArgumentException($"'{Id}' is not a TimeSformer: attention biases and gated MLPs apply to the TimeSformers only.");
        }

        var scheme = (string)Architecture!["attention"];
        return this with { Create = TimeSformerFactory(scheme, variant), Variant = variant, Architecture = TimeSformerArchitecture(scheme, variant) };
    }

    private static Func<int, VideoNet> TimeSformerFactory(string scheme, TransformerVariant variant) =>
        classes => new TimeSformerNet(scheme, classes, Clip8.ClipLength, FrameSize, variant.RelativeTimeBias, variant.GatedMlp);

    private static Dictionary<string, object> TimeSformerArchitecture(string scheme, TransformerVariant variant)
    {
        var architecture = new Dictionary<string, object>
        {
            ["attention"] = scheme,
            ["patch"] = TimeSformerNet.Patch,
            ["dim"] = TimeSformerNet.Dim,
            ["heads"] = TimeSformerNet.Heads,
            ["depth"] = TimeSformerNet.Depth,
        };
        if (variant.RelativeTimeBias)
        {
            architecture["timeBias"] = "relative (Δt, Δh, Δw) per head in steps over time";
        }

        if (variant.GatedMlp)
        {
            architecture["mlp"] = "GEGLU";
        }

        return architecture;
    }

    private static long[] Triple((long T, long H, long W) v) => [v.T, v.H, v.W];

    public static Recipe Get(string id) =>
        All.SingleOrDefault(r => r.Id == id) ?? throw new ArgumentException($"No recipe '{id}'. Known: {string.Join(", ", All.Select(r => r.Id))}");
}
