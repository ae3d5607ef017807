using System.Globalization;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Onnx;
using ServerlessVideo.Training.Export;
using static TorchSharp.torch;

namespace ServerlessVideo.Training.Nets;

/// <summary>
/// Two-stream (Simonyan and Zisserman 2014), trained as the paper does: the spatial stream (the TSN frame CNN over the
/// clip's RGB frames, scores averaged) and the temporal stream (<see cref="FlowStackNet"/> over the TV-L1 flow of the
/// same frames, computed by the pipeline's own code) are trained separately; late fusion averages their softmax scores
/// with the flow weight that does best on the validation split. One ONNX graph holds both streams (inputs <c>video</c>
/// and <c>flow</c>, outputs <c>rgb_logits</c> and <c>flow_logits</c>); the manifest carries the fusion weights.
/// As a module its forward pass is the spatial stream's: the flow is computed outside the network.
/// </summary>
public sealed class TwoStreamNet : VideoNet
{
    public const int Flows = 5;
    public const string RgbOutput = "rgb_logits";
    public const string FlowOutput = "flow_logits";

    /// <summary>Flow fields are small at 64² and 8 fps: a ±4 px bound keeps the 8-bit quantisation step at 1/32 px.</summary>
    public static readonly FlowSpec Flow = new("tvl1", 4);

    /// <summary>Flow normalised to [-1, 1]: (q / 255 − 0.5) / 0.5 = f / bound.</summary>
    public static readonly PreprocessingSpec FlowPreprocessing = Recipe.Preprocessing with { Mean = [0.5, 0.5], Std = [0.5, 0.5] };

    private static readonly double[] FlowWeights = [0.5, 1, 1.5, 2, 3, 4];

    /// <summary>
    /// With fresh data, the temporal stream takes new clips every this many epochs: its own training is quick and the
    /// TV-L1 flow of a new set is not, so each set is read a few times.
    /// </summary>
    public const int EpochsPerFlowSet = 3;

    public TwoStreamNet(int classes) : base(nameof(TwoStreamNet))
    {
        Spatial = new TsnNet(classes);
        Temporal = new FlowStackNet(classes, Flows);
        RegisterComponents();
    }

    public TsnNet Spatial { get; }

    public FlowStackNet Temporal { get; }

    /// <summary>The flow stream's weight in the fusion, chosen on validation by <see cref="Fit"/> (1 until then).</summary>
    public double FlowWeight { get; private set; } = 1;

    public override Tensor forward(Tensor x) => Spatial.call(x);

    public override long MacsPerClip(int frames, int size) => Spatial.MacsPerClip(frames, size) + Temporal.MacsPerClip(Flows, size);

    public override IReadOnlyList<ModelInput> ManifestInputs() =>
    [
        new(OnnxExporter.Input, "NTCHW"),
        new(FlowStackNet.FlowInput, "NTCHW", ModelInput.FlowStream) { Flow = Flow, Mean = FlowPreprocessing.Mean, Std = FlowPreprocessing.Std },
    ];

    public override ModelOutput ManifestOutput() => new(null, "softmax") { Fusion = [new(RgbOutput, 1), new(FlowOutput, FlowWeight)] };

    /// <summary>The spatial stream starts as a committed frame-level model's CNN, as the paper's starts from ImageNet.</summary>
    public override string InitialiseFrom(string onnxPath)
    {
        Inflation.Load(Spatial.Cnn, onnxPath);
        return "starting the spatial stream from the trained 2D CNN";
    }

    /// <summary>
    /// Each stream on its own data (the clips, then their flow), then the fusion weight on validation. With fresh data
    /// the spatial stream takes new clips every epoch (on a fixed split it learns the clips by heart: training loss
    /// 0.12, below the 0.46 an orderless model can honestly reach) and the temporal stream every
    /// <see cref="EpochsPerFlowSet"/> epochs.
    /// </summary>
    public override Fitted Fit(SynthMotionData train, SynthMotionData validation, Recipe recipe, TextWriter log, Func<int, SynthMotionData>? freshTrain)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(log);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var trainFlow = train.WithFlow(Flow, FlowPreprocessing);
        var validationFlow = validation.WithFlow(Flow, FlowPreprocessing);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Flow.Algorithm} flow for {train.Labels.Count + validation.Labels.Count} clips in {watch.Elapsed.TotalSeconds:0} s"));
        var rgbAccuracy = Trainer.Train(Spatial, train, validation, recipe, log, freshTrain);
        var flowSet = trainFlow;
        var flowAccuracy = Trainer.Train(Temporal, trainFlow, validationFlow, recipe, log, freshTrain is null ? null : epoch =>
            flowSet = (epoch - 1) % EpochsPerFlowSet == 0 ? freshTrain(1 + ((epoch - 1) / EpochsPerFlowSet)).WithFlow(Flow, FlowPreprocessing) : flowSet);
        var (weight, fused) = ChooseFlowWeight(validation, validationFlow);
        FlowWeight = weight;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"validation RGB {rgbAccuracy:P1}, flow {flowAccuracy:P1}, fused {fused:P1} at flow weight {weight}"));
        return new Fitted(fused)
        {
            // The flow weight was chosen on this split, so the fused validation figure is slightly optimistic; test is not.
            Metrics = new Dictionary<string, double>
            {
                ["validationAccuracyRgb"] = Math.Round(rgbAccuracy, 4),
                ["validationAccuracyFlow"] = Math.Round(flowAccuracy, 4),
                ["flowWeight"] = weight,
            },
            Notes = freshTrain is null
                ? "spatial and temporal streams trained on SynthMotion separately; the flow weight was chosen on the validation split"
                : $"the spatial stream trained on SynthMotion with {train.Labels.Count} new clips every epoch and the temporal stream with as many every {EpochsPerFlowSet} epochs, separately; the flow weight was chosen on the validation split",
        };
    }

    private (double Weight, double Accuracy) ChooseFlowWeight(SynthMotionData rgb, SynthMotionData flow)
    {
        using var scope = NewDisposeScope();
        var p = Trainer.Probabilities(Spatial, rgb);
        var q = Trainer.Probabilities(Temporal, flow);
        var labels = tensor(rgb.Labels.Select(l => (long)l).ToArray());
        return FlowWeights
            .Select(wt => (Weight: wt, Accuracy: (p + (q * wt)).argmax(1).eq(labels).sum().item<long>() / (double)rgb.Labels.Count))
            .OrderByDescending(x => x.Accuracy).ThenBy(x => x.Weight)
            .First();
    }

    /// <summary>Both streams in one graph: <c>video</c> → <c>rgb_logits</c>, <c>flow</c> → <c>flow_logits</c>.</summary>
    public override byte[] ToOnnx(int frames, int size, string docString)
    {
        Spatial.eval();
        Temporal.eval();
        var g = new OnnxGraphBuilder("TwoStream", opset: 17)
            .Input(OnnxExporter.Input, -1, frames, 3, size, size)
            .Input(FlowStackNet.FlowInput, -1, Flows, 2, size, size);
        var w = new GraphWriter(g);
        g.Node("Identity", [Spatial.Export(w, frames, size)], [RgbOutput]);
        g.Node("Identity", [Temporal.Export(w, Flows, size)], [FlowOutput]);
        var classes = Spatial.Fc.out_features;
        return g.Output(RgbOutput, -1, classes).Output(FlowOutput, -1, classes).ToBytes("ServerlessVideo.Training", docString);
    }

    /// <summary>Each stream against its own output of the graph.</summary>
    public override (double MaxDifference, double MaxOutput) ParityDifference(byte[] onnx, int frames, int size, int seed)
    {
        var rgb = Parity.Compare(Spatial, onnx, frames, size, seed, outputName: RgbOutput);
        var flow = Parity.Compare(Temporal, onnx, Flows, size, seed, outputName: FlowOutput);
        return (Math.Max(rgb.MaxDifference, flow.MaxDifference), Math.Max(rgb.MaxOutput, flow.MaxOutput));
    }

    public override void ExerciseBatchNorm(int frames)
    {
        Spatial.ExerciseBatchNorm(frames);
        Temporal.ExerciseBatchNorm(Flows);
    }

    /// <summary>Two outputs: see <see cref="ToOnnx"/>.</summary>
    public override string Export(GraphWriter w, int frames, int size) =>
        throw new NotSupportedException("A two-stream graph has an output per stream: use ToOnnx.");
}
