using ServerlessVideo.Core.Manifests;

namespace ServerlessVideo.Core.Planning;

/// <summary>
/// Turns a probe and the model manifests into views, clips and segments. Pure: the same inputs give the same plan,
/// so an orchestrator may call it during replay.
/// </summary>
public static class VideoPlanner
{
    public static VideoPlan Plan(VideoProbe probe, IEnumerable<ModelManifest> models, PlanOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ClipsPerSegment, 1);
        var views = models
            .GroupBy(m => ViewOf(m, probe))
            .OrderBy(g => g.Key.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var numClips = g.Max(m => m.Sampling.NumClips);
                var starts = g.Any(m => m.Sampling.Strategy == SamplingSpec.Segments)
                    ? [SegmentsStart(g.Key)]
                    : ClipStarts(probe.DurationSeconds, g.Key.ClipSeconds, numClips);
                // A start inside the last frame's display time (a one-frame file, TSN's last segment of a short video)
                // would seek past every frame: sample within the frames that exist.
                var clips = starts.Select(s => Math.Min(s, probe.LastFrameSeconds)).Distinct()
                    .Select((start, i) => new ClipSpan(i, start)).ToList();
                var segments = clips.Chunk(options.ClipsPerSegment)
                    .Select((chunk, i) => new Segment(i, chunk))
                    .ToList();
                var flows = g.SelectMany(m => m.Inputs)
                    .Select(i => i.Flow)
                    .OfType<FlowSpec>()
                    .DistinctBy(f => f.Key)
                    .OrderBy(f => f.Key, StringComparer.Ordinal)
                    .ToList();
                return new ViewPlan(g.Key, segments, g.Select(m => m.Id).Order(StringComparer.Ordinal).ToList(), flows);
            })
            .ToList();
        return new VideoPlan(views);
    }

    /// <summary>
    /// The view a model reads. Frame-interval sampling becomes a rate relative to the source frame rate; TSN segments
    /// become the rate that puts <c>clipLength</c> frames across the whole video.
    /// </summary>
    public static FrameView ViewOf(ModelManifest model, VideoProbe probe)
    {
        var fps = model.Sampling.Strategy == SamplingSpec.Segments
            ? model.Sampling.ClipLength / probe.DurationSeconds
            : model.Sampling.Fps ?? probe.Fps / model.Sampling.FrameInterval!.Value;
        // Rounded so that videos at 29.97 and 30 fps share views across models with the same interval.
        fps = Math.Round(fps, 3);
        var p = model.Preprocessing;
        return new FrameView(fps, p.Resize is null ? p.ResizeShortSide : 0, p.CropSize, model.Sampling.ClipLength) { Resize = p.Resize };
    }

    /// <summary>The first segment's middle: frames then fall at the middle of each of the T equal segments.</summary>
    public static double SegmentsStart(FrameView view) => Math.Round(0.5 / view.Fps, 3);

    /// <summary>
    /// Start times of <paramref name="numClips"/> clips of <paramref name="clipSeconds"/> each, spread uniformly over
    /// <paramref name="durationSeconds"/>, each centred in its share of the video (mmaction2's test-time uniform sampling).
    /// A video shorter than a clip gives one clip at 0 (the extractor pads it by repeating the last frame).
    /// </summary>
    public static IReadOnlyList<double> ClipStarts(double durationSeconds, double clipSeconds, int numClips)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numClips, 1);
        var slack = durationSeconds - clipSeconds;
        if (slack <= 0)
        {
            return [0.0];
        }

        var starts = new List<double>(numClips);
        for (var i = 0; i < numClips; i++)
        {
            var start = Math.Round(slack * (i + 0.5) / numClips, 3);
            if (starts.Count == 0 || start > starts[^1])
            {
                starts.Add(start);
            }
        }

        return starts;
    }
}
