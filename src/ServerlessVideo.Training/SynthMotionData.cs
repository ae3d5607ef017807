using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Core.Tensors;
using ServerlessVideo.Evaluation;
using ServerlessVideo.Inference;
using ServerlessVideo.Media.Flow;
using ServerlessVideo.Media.SynthMotion;
using static TorchSharp.torch;

namespace ServerlessVideo.Training;

/// <summary>
/// Training clips rendered straight to tensors (no encode/decode), sampled like the pipeline samples them, with the
/// random temporal placement of training time: TSN draws one frame at a random point of each segment; clip models
/// take their T frames at the manifest's rate from a random start.
/// </summary>
public sealed class SynthMotionData
{
    private SynthMotionData(IReadOnlyList<ClipTensor> clips, IReadOnlyList<int> labels, PreprocessingSpec preprocessing)
    {
        Clips = clips;
        Labels = labels;
        _preprocessor = new ClipPreprocessor(preprocessing);
    }

    public IReadOnlyList<ClipTensor> Clips { get; }

    public IReadOnlyList<int> Labels { get; }

    private readonly ClipPreprocessor _preprocessor;

    /// <summary>
    /// <paramref name="perClass"/> clips of each class from the split's seeds <paramref name="firstIndex"/> onwards,
    /// placed in time by <paramref name="seed"/>. With <paramref name="maxStretch"/> above 1, each clip's frames lie
    /// between 1 and that many times the sampled interval apart (drawn per clip): temporal speed augmentation, which
    /// keeps the frames in order.
    /// </summary>
    public static SynthMotionData Render(SynthMotionSplit split, int perClass, SamplingSpec sampling, int seed, int firstIndex = 0, double maxStretch = 1)
    {
        var classes = SynthMotionClasses.Labels.Count;
        var count = perClass * classes;
        var clips = new ClipTensor[count];
        var labels = new int[count];
        Parallel.For(0, count, i =>
        {
            var label = i % classes;
            var scene = new SynthMotionScene(SynthMotionSeeds.Of(split, firstIndex + i), label);
            var random = new Random(SynthMotionSeeds.Mix(firstIndex + i, seed));
            clips[i] = SynthMotionRenderer.RenderClip(scene, Times(scene, sampling, random, maxStretch), Recipe.FrameSize);
            labels[i] = label;
        });
        return new SynthMotionData(clips, labels, Recipe.Preprocessing);
    }

    /// <summary>
    /// The optical flow of every clip, computed and quantised by the pipeline's own <see cref="FlowStack"/>, normalised
    /// by <paramref name="preprocessing"/> (the flow input's mean and std).
    /// </summary>
    public SynthMotionData WithFlow(FlowSpec flow, PreprocessingSpec preprocessing)
    {
        ArgumentNullException.ThrowIfNull(flow);
        var flows = new ClipTensor[Clips.Count];
        Parallel.For(0, Clips.Count, i => flows[i] = FlowStack.Compute(Clips[i], flow));
        return new SynthMotionData(flows, Labels, preprocessing);
    }

    private static double[] Times(SynthMotionScene scene, SamplingSpec sampling, Random random, double maxStretch)
    {
        var t = sampling.ClipLength;
        if (sampling.Strategy == SamplingSpec.Segments)
        {
            var segment = scene.Duration / t;
            return Enumerable.Range(0, t).Select(k => (k + random.NextDouble()) * segment).ToArray();
        }

        var fps = sampling.Fps ?? SynthMotionEvaluator.SourceFps / sampling.FrameInterval!.Value;
        if (maxStretch > 1)
        {
            fps /= 1 + (random.NextDouble() * (maxStretch - 1));
        }

        var span = (t - 1) / fps;
        var start = random.NextDouble() * Math.Max(0, scene.Duration - span);
        return SynthMotionEvaluator.Times(start, fps, t);
    }

    /// <summary>A batch as float NTCHW, normalised by the same code and numbers the pipeline uses at inference, and its labels.</summary>
    public (Tensor X, Tensor Y) Batch(IReadOnlyList<int> indices, string layout = "NTCHW")
    {
        var first = Clips[indices[0]];
        int t = first.Frames, s = first.Height;
        var c = first.Channels;
        var perClip = t * c * s * s;
        var data = new float[indices.Count * perClip];
        for (var b = 0; b < indices.Count; b++)
        {
            _preprocessor.Write(Clips[indices[b]], layout, data.AsSpan(b * perClip, perClip));
        }

        long[] shape = layout == "NCTHW" ? [indices.Count, c, t, s, s] : [indices.Count, t, c, s, s];
        var x = tensor(data, shape);
        var y = tensor(indices.Select(i => (long)Labels[i]).ToArray(), [indices.Count]);
        return (x, y);
    }
}
