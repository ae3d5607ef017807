using System.Diagnostics;
using ServerlessVideo.Core;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Core.Planning;
using ServerlessVideo.Core.Results;
using ServerlessVideo.Core.Tensors;
using ServerlessVideo.Inference;
using ServerlessVideo.Media.Flow;
using ServerlessVideo.Media.SynthMotion;

namespace ServerlessVideo.Evaluation;

/// <summary>
/// Scores a model on SynthMotion videos the way the pipeline would: the planner cuts the clips from the video's
/// duration and the manifest's sampling, frames are rendered at the sampled times (short side resized, centre
/// cropped), the session returns per-clip probabilities and the video's label is the argmax of their mean.
/// </summary>
public static class SynthMotionEvaluator
{
    /// <summary>Source frame rate assumed for the rendered videos.</summary>
    public const double SourceFps = 25;

    public static EvaluationResult Evaluate(ModelSession session, SynthMotionSplit split, int count, int firstIndex = 0)
    {
        var manifest = session.Model.Manifest;
        int correct = 0, pairTotal = 0, pairCorrect = 0;
        var perClass = new int[SynthMotionClasses.Labels.Count];
        var perClassTotal = new int[perClass.Length];
        var timings = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var index = firstIndex + i;
            var label = index % SynthMotionClasses.Labels.Count;
            var scene = new SynthMotionScene(SynthMotionSeeds.Of(split, index), label);
            var rgb = Clips(scene, manifest);
            // Timed from the decoded frames on: a model that reads optical flow pays for computing it.
            var watch = Stopwatch.StartNew();
            var probabilities = session.Run(StreamsOf(rgb, manifest));
            timings.Add(watch.Elapsed.TotalMilliseconds / probabilities.Length);
            var mean = Consensus.MeanOverClips(probabilities);
            var predicted = Array.IndexOf(mean, mean.Max());
            var predictedLabel = session.Model.Labels[predicted];
            var ok = predictedLabel == SynthMotionClasses.Labels[label];
            correct += ok ? 1 : 0;
            perClass[label] += ok ? 1 : 0;
            perClassTotal[label]++;
            if (SynthMotionClasses.IsTemporalPairClass(label))
            {
                pairTotal++;
                pairCorrect += ok ? 1 : 0;
            }
        }

        timings.Sort();
        return new EvaluationResult(count, (double)correct / count, pairTotal == 0 ? 0 : (double)pairCorrect / pairTotal, timings[timings.Count / 2])
        {
            ClassAccuracy = SynthMotionClasses.Labels.Select((l, c) => (l, perClassTotal[c] == 0 ? 0 : (double)perClass[c] / perClassTotal[c])).ToDictionary(p => p.l, p => p.Item2),
        };
    }

    /// <summary>The clips the pipeline would extract from <paramref name="scene"/> rendered as a video, for <paramref name="manifest"/>.</summary>
    public static IReadOnlyList<ClipTensor> Clips(SynthMotionScene scene, ModelManifest manifest)
    {
        var probe = new VideoProbe(scene.Duration, SourceFps, 640, 480, 0, "rawvideo", "synthmotion", 0);
        var view = Assert(VideoPlanner.Plan(probe, [manifest], new PlanOptions()).Views);
        var p = manifest.Preprocessing;
        return view.Segments.SelectMany(s => s.Clips)
            .Select(c => Crop(SynthMotionRenderer.RenderClip(scene, Times(c.StartSeconds, view.View.Fps, view.View.ClipLength), p.ResizeShortSide), p.CropSize))
            .ToList();
    }

    /// <summary>
    /// Every stream <paramref name="manifest"/>'s inputs read, from its RGB clips: the clips themselves and each optical
    /// flow computed from them by the pipeline's own flow code.
    /// </summary>
    public static Dictionary<string, IReadOnlyList<ClipTensor>> StreamsOf(IReadOnlyList<ClipTensor> rgb, ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var streams = new Dictionary<string, IReadOnlyList<ClipTensor>>(StringComparer.Ordinal) { [ModelInput.Rgb] = rgb };
        foreach (var flow in manifest.Inputs.Select(i => i.Flow).OfType<FlowSpec>().DistinctBy(f => f.Key))
        {
            streams[flow.Key] = rgb.Select(c => FlowStack.Compute(c, flow)).ToList();
        }

        return streams;
    }

    /// <summary>Frame times of a clip: from its start, one per 1/fps seconds.</summary>
    public static double[] Times(double start, double fps, int frames) =>
        Enumerable.Range(0, frames).Select(k => start + (k / fps)).ToArray();

    /// <summary>The centre <paramref name="size"/>² of every frame.</summary>
    public static ClipTensor Crop(ClipTensor clip, int size)
    {
        if (clip.Width == size && clip.Height == size)
        {
            return clip;
        }

        var data = new byte[clip.Frames * size * size * 3];
        int x0 = (clip.Width - size) / 2, y0 = (clip.Height - size) / 2;
        for (var t = 0; t < clip.Frames; t++)
        {
            for (var y = 0; y < size; y++)
            {
                clip.Data.AsSpan((((t * clip.Height) + y0 + y) * clip.Width + x0) * 3, size * 3)
                    .CopyTo(data.AsSpan((((t * size) + y) * size) * 3));
            }
        }

        return new ClipTensor(clip.Frames, size, size, data);
    }

    private static ViewPlan Assert(IReadOnlyList<ViewPlan> views) =>
        views.Count == 1 ? views[0] : throw new InvalidOperationException("One model plans exactly one view.");
}
