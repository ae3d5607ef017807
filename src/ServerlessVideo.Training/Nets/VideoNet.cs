using ServerlessVideo.Training.Export;
using ServerlessVideo.Training.Nets.Blocks;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ServerlessVideo.Training.Nets;

/// <summary>
/// A video classifier over one clip tensor per sample, in <see cref="Layout"/> ([N, T, C, H, W] or [N, C, T, H, W]),
/// returning logits [N, classes]; and its ONNX form, whose inputs <see cref="Feeds"/> derives from that clip.
/// </summary>
public abstract class VideoNet(string name) : Module<Tensor, Tensor>(name)
{
    /// <summary>Layout of the clip tensor: <c>NTCHW</c> or <c>NCTHW</c>.</summary>
    public virtual string Layout => "NTCHW";

    /// <summary>Channels per frame of the input stream: 3 for RGB, 2 for optical flow.</summary>
    public virtual int InputChannels => 3;

    /// <summary>Multiply-accumulates for one clip, counted by the blocks during one forward pass.</summary>
    public virtual long MacsPerClip(int frames, int size)
    {
        var training = this.training;
        eval();
        try
        {
            using var _ = no_grad();
            using var clip = zeros(ClipShape(1, frames, size));
            return MacCounter.Measure(() => call(clip).Dispose());
        }
        finally
        {
            train(training);
        }
    }

    /// <summary>Shape of a batch of <paramref name="batch"/> clips.</summary>
    public long[] ClipShape(long batch, int frames, int size) => Layout == "NCTHW"
        ? [batch, InputChannels, frames, size, size]
        : [batch, frames, InputChannels, size, size];

    /// <summary>The ONNX graph's inputs for a batch of clips: by default the clip itself, named <c>video</c>.</summary>
    public virtual IReadOnlyList<(string Name, Tensor Value)> Feeds(Tensor clips) => [(OnnxExporter.Input, clips)];

    /// <summary>The manifest's inputs for the ONNX graph's inputs.</summary>
    public virtual IReadOnlyList<Core.Manifests.ModelInput> ManifestInputs() => [new(OnnxExporter.Input, Layout)];

    /// <summary>
    /// Starts from a committed frame-level model's trained 2D CNN (its ONNX file, batch norm folded), as the papers start
    /// from ImageNet weights; returns what was taken (e.g. "inflating the 2D CNN"), for the provenance. Networks without
    /// such a start throw.
    /// </summary>
    public virtual string InitialiseFrom(string onnxPath) =>
        throw new NotSupportedException($"{GetType().Name} cannot start from a 2D CNN.");

    /// <summary>The manifest's output: the graph's logits, softmax.</summary>
    public virtual Core.Manifests.ModelOutput ManifestOutput() => new(OnnxExporter.Output, "softmax");

    /// <summary>
    /// Trains the network for the recipe (<see cref="Trainer.Train"/>, on fresh clips every epoch when
    /// <paramref name="freshTrain"/> is given); a network of parts trained apart trains them its own way.
    /// </summary>
    public virtual Fitted Fit(SynthMotionData train, SynthMotionData validation, Recipe recipe, TextWriter log, Func<int, SynthMotionData>? freshTrain) =>
        new(Trainer.Train(this, train, validation, recipe, log, freshTrain));

    /// <summary>
    /// Forward and backward of one training batch: the gradients of the mean cross-entropy accumulate into the
    /// parameters; returns that loss. A network whose per-sample part follows a batch-coupled one may run it as two
    /// half batches at once on <paramref name="halves"/> (<see cref="HalfBatchThreads.Backward"/>).
    /// </summary>
    public virtual float Backward(Tensor x, Tensor y, HalfBatchThreads? halves)
    {
        using var loss = functional.cross_entropy(call(x), y);
        loss.backward();
        return loss.item<float>();
    }

    /// <summary>The ONNX model of the trained network (<see cref="OnnxExporter.Export"/>).</summary>
    public virtual byte[] ToOnnx(int frames, int size, string docString) => OnnxExporter.Export(this, frames, size, docString);

    /// <summary>Largest |ONNX Runtime − TorchSharp| on random input, and the largest output (<see cref="Parity.Compare"/>).</summary>
    public virtual (double MaxDifference, double MaxOutput) ParityDifference(byte[] onnx, int frames, int size, int seed) =>
        Parity.Compare(this, onnx, frames, size, seed);

    /// <summary>A few training-mode passes on random clips, so batch norm has non-trivial running statistics to fold.</summary>
    public virtual void ExerciseBatchNorm(int frames)
    {
        train();
        using var _ = no_grad();
        for (var i = 0; i < 3; i++)
        {
            call((randn(ClipShape(4, frames, Recipe.FrameSize)) * 2) + 0.5);
        }
    }

    /// <summary>Writes the network as ONNX nodes from the graph inputs (named as <see cref="Feeds"/>); returns the logits.</summary>
    public abstract string Export(GraphWriter w, int frames, int size);
}

/// <summary>What training gave: validation accuracy, and any metrics and provenance notes of the network's own.</summary>
public sealed record Fitted(double ValidationAccuracy)
{
    public IReadOnlyDictionary<string, double>? Metrics { get; init; }

    public string? Notes { get; init; }
}
