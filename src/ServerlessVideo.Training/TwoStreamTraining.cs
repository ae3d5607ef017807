using System.Diagnostics;
using System.Globalization;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Media.SynthMotion;
using ServerlessVideo.Onnx;
using ServerlessVideo.Training.Export;
using ServerlessVideo.Training.Nets;
using TorchSharp;
using static TorchSharp.torch;

namespace ServerlessVideo.Training;

/// <summary>
/// Two-stream (Simonyan and Zisserman 2014), trained as the paper does: the spatial stream (the frame CNN over the
/// clip's RGB frames, scores averaged) and the temporal stream (<see cref="FlowStackNet"/> over the TV-L1 flow of the
/// same frames) are trained separately; late fusion averages their softmax scores with the flow weight that does best
/// on the validation split. One ONNX graph holds both streams (inputs <c>video</c> and <c>flow</c>, outputs
/// <c>rgb_logits</c> and <c>flow_logits</c>); the manifest carries the fusion weights.
/// </summary>
public static class TwoStreamTraining
{
    public const string Id = "two-stream-synthmotion";
    public const int Flows = 5;
    public const string RgbOutput = "rgb_logits";
    public const string FlowOutput = "flow_logits";

    /// <summary>Flow fields are small at 64² and 8 fps: a ±4 px bound keeps the 8-bit quantisation step at 1/32 px.</summary>
    public static readonly FlowSpec Flow = new("tvl1", 4);

    /// <summary>Flow normalised to [-1, 1]: (q / 255 − 0.5) / 0.5 = f / bound.</summary>
    public static readonly PreprocessingSpec FlowPreprocessing = Recipe.Preprocessing with { Mean = [0.5, 0.5], Std = [0.5, 0.5] };

    public static readonly SamplingSpec Sampling = new(Flows + 1, 8, null, 3);

    private static readonly double[] FlowWeights = [0.5, 1, 1.5, 2, 3, 4];

    private static Recipe Branch(string family) => new(Id, family, "two-stream branch", _ => throw new NotSupportedException(), Sampling, Epochs: 15);

    public static int Run(string modelsRoot)
    {
        var recipe = Branch("two-stream");
        var total = Stopwatch.StartNew();
        random.manual_seed(recipe.Seed);
        var classes = SynthMotionClasses.Labels.Count;
        Console.WriteLine($"{Id}: rendering SynthMotion train/validation splits and their {Flow.Algorithm} flow …");
        var train = SynthMotionData.Render(SynthMotionSplit.Train, recipe.TrainPerClass, Sampling, recipe.Seed);
        var validation = SynthMotionData.Render(SynthMotionSplit.Validation, recipe.ValidationPerClass, Sampling, recipe.Seed + 1);
        var flowWatch = Stopwatch.StartNew();
        var trainFlow = train.WithFlow(Flow, FlowPreprocessing);
        var validationFlow = validation.WithFlow(Flow, FlowPreprocessing);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Id}: flow for {train.Labels.Count + validation.Labels.Count} clips in {flowWatch.Elapsed.TotalSeconds:0} s"));

        var spatial = new TsnNet(classes);
        var spatialAccuracy = Trainer.Train(spatial, train, validation, recipe, Console.Out);
        var temporal = new FlowStackNet(classes, Flows);
        var temporalAccuracy = Trainer.Train(temporal, trainFlow, validationFlow, recipe, Console.Out);
        var trainMinutes = total.Elapsed.TotalMinutes;

        var (flowWeight, fusedAccuracy) = ChooseFlowWeight(spatial, temporal, validation, validationFlow);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Id}: validation RGB {spatialAccuracy:P1}, flow {temporalAccuracy:P1}, fused {fusedAccuracy:P1} at flow weight {flowWeight}"));

        var onnx = Export(spatial, temporal);
        var parity = Math.Max(
            Parity.Compare(spatial, onnx, Sampling.ClipLength, Recipe.FrameSize, recipe.Seed, outputName: RgbOutput).MaxDifference,
            Parity.Compare(temporal, onnx, Flows, Recipe.FrameSize, recipe.Seed, outputName: FlowOutput).MaxDifference);
        var manifest = Manifest(flowWeight, train.Labels.Count);
        var metrics = new Dictionary<string, double>
        {
            ["seed"] = recipe.Seed,
            ["epochs"] = recipe.Epochs,
            ["trainClips"] = train.Labels.Count,
            // The flow weight was chosen on this split, so the fused validation figure is slightly optimistic; test is not.
            ["validationAccuracy"] = Math.Round(fusedAccuracy, 4),
            ["validationAccuracyRgb"] = Math.Round(spatialAccuracy, 4),
            ["validationAccuracyFlow"] = Math.Round(temporalAccuracy, 4),
            ["flowWeight"] = flowWeight,
            ["parameters"] = spatial.parameters().Sum(p => p.numel()) + temporal.parameters().Sum(p => p.numel()),
            ["flopsPerClip"] = 2 * (spatial.MacsPerClip(Sampling.ClipLength, Recipe.FrameSize) + temporal.MacsPerClip(Flows, Recipe.FrameSize)),
            ["onnxParityMaxAbsDiff"] = parity,
            ["trainMinutes"] = Math.Round(trainMinutes, 1),
        };
        return ModelPublisher.Publish(modelsRoot, manifest, onnx, metrics, recipe.TestPerClass * classes) ? 0 : 1;
    }

    /// <summary>Both streams in one graph: <c>video</c> → <c>rgb_logits</c>, <c>flow</c> → <c>flow_logits</c>.</summary>
    public static byte[] Export(TsnNet spatial, FlowStackNet temporal)
    {
        ArgumentNullException.ThrowIfNull(spatial);
        ArgumentNullException.ThrowIfNull(temporal);
        spatial.eval();
        temporal.eval();
        var size = Recipe.FrameSize;
        var g = new OnnxGraphBuilder("TwoStream", opset: 17)
            .Input(OnnxExporter.Input, -1, Sampling.ClipLength, 3, size, size)
            .Input(FlowStackNet.FlowInput, -1, Flows, 2, size, size);
        var w = new GraphWriter(g);
        g.Node("Identity", [spatial.Export(w, Sampling.ClipLength, size)], [RgbOutput]);
        g.Node("Identity", [temporal.Export(w, Flows, size)], [FlowOutput]);
        var classes = spatial.Fc.out_features;
        return g.Output(RgbOutput, -1, classes).Output(FlowOutput, -1, classes)
            .ToBytes("ServerlessVideo.Training", $"Two-stream RGB + {Flow.Algorithm} flow; trained on SynthMotion by sv-train {Id}");
    }

    private static (double Weight, double Accuracy) ChooseFlowWeight(VideoNet spatial, VideoNet temporal, SynthMotionData rgb, SynthMotionData flow)
    {
        using var scope = NewDisposeScope();
        var p = Trainer.Probabilities(spatial, rgb);
        var q = Trainer.Probabilities(temporal, flow);
        var labels = tensor(rgb.Labels.Select(l => (long)l).ToArray());
        return FlowWeights
            .Select(wt => (Weight: wt, Accuracy: ((p + (q * wt)).argmax(1).eq(labels).sum().item<long>()) / (double)rgb.Labels.Count))
            .OrderByDescending(x => x.Accuracy).ThenBy(x => x.Weight)
            .First();
    }

    private static ModelManifest Manifest(double flowWeight, int trainClips) => new()
    {
        Schema = "../manifest.schema.json",
        Id = Id,
        Name = "Two-stream: RGB frames + stacked TV-L1 flow, late fusion",
        Family = "two-stream",
        Inputs =
        [
            new(OnnxExporter.Input, "NTCHW"),
            new(FlowStackNet.FlowInput, "NTCHW", ModelInput.FlowStream) { Flow = Flow, Mean = FlowPreprocessing.Mean, Std = FlowPreprocessing.Std },
        ],
        Output = new ModelOutput(null, "softmax") { Fusion = [new(RgbOutput, 1), new(FlowOutput, flowWeight)] },
        Sampling = Sampling,
        Preprocessing = Recipe.Preprocessing,
        Architecture = new Dictionary<string, System.Text.Json.JsonElement>
        {
            ["flowFields"] = System.Text.Json.JsonSerializer.SerializeToElement(Flows),
            ["fusion"] = System.Text.Json.JsonSerializer.SerializeToElement("late, weighted softmax average"),
        },
        Provenance = ModelPublisher.Provenance(Id, trainClips,
            "Spatial and temporal streams trained from scratch on SynthMotion, separately; the flow weight was chosen on the validation split"),
    };
}
