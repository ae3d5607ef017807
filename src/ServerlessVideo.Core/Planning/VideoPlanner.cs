using ServerlessVideo.Core.Manifests;

namespace ServerlessVideo.Core.Planning;

/// <summary>
/// Turns a probe and the model manifests into views, clips and segments. Pure: the same inputs give the same plan,
/// so an orchestrator may call it during replay.
/// </summary>
public static class VideoPlanner
{
    /// <summary>
    /// The plan for <paramref name="probe"/>. With shot boundaries (<paramref name="cuts"/>, seconds), a view of evenly
    /// spread clips spreads them per shot instead (<see cref="ShotClipStarts"/>), so that every shot is sampled as a
    /// video of its own would be and no clip straddles a cut when the shot is long enough to hold it. Views that sample as a reference library
    /// does, and TSN's segments over the whole video, keep their sampling: it is what the model was evaluated with.
    /// </summary>
    public static VideoPlan Plan(VideoProbe probe, IEnumerable<ModelManifest> models, PlanOptions options, IReadOnlyList<double>? cuts = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ClipsPerSegment, 1);
        var shots = cuts is null ? null : Shots(probe.DurationSeconds, cuts);
        var views = models
            .SelectMany(m => CropViews(ViewOf(m, probe), m.Preprocessing).Select(view => (View: view, Model: m)))
            .GroupBy(x => x.View, x => x.Model)
            .OrderBy(g => g.Key.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var numClips = g.Max(m => m.Sampling.NumClips);
                List<ClipSpan> clips;
                if (g.Key.Sampling is not null)
                {
                    clips = IndexedClips(probe, g.First().Sampling, g.Key, numClips);
                }
                else
                {
                    var starts = g.Any(m => m.Sampling.Strategy == SamplingSpec.Segments)
                        ? [SegmentsStart(g.Key)]
                        : shots is { Count: > 1 }
                            ? ShotClipStarts(shots, probe.DurationSeconds, g.Key.ClipSeconds, numClips, options.MaxShotClips)
                            : ClipStarts(probe.DurationSeconds, g.Key.ClipSeconds, numClips);
                    // A start inside the last frame's display time (a one-frame file, TSN's last segment of a short
                    // video) would seek past every frame: sample within the frames that exist.
                    clips = [.. starts.Select(s => Math.Min(s, probe.LastFrameSeconds)).Distinct().Select((start, i) => new ClipSpan(i, start))];
                }

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
        return new VideoPlan(views) { Cuts = cuts is null ? null : [.. shots!.Skip(1).Select(s => s.Start)] };
    }

    /// <summary>The shots between <paramref name="cuts"/>: cuts outside (0, duration) are dropped, the rest sorted.</summary>
    private static List<(double Start, double End)> Shots(double durationSeconds, IReadOnlyList<double> cuts)
    {
        var bounds = cuts.Where(c => c > 0 && c < durationSeconds).Distinct().Order().Prepend(0.0).Append(durationSeconds).ToList();
        return [.. bounds.Zip(bounds.Skip(1))];
    }

    /// <summary>
    /// Each shot's clips spread over it as <see cref="ClipStarts"/> spreads them over a video: <paramref name="numClips"/>
    /// per shot, as if each shot were a video of its own; when that would be more than <paramref name="maxClips"/> in
    /// all, <paramref name="numClips"/> shared among the shots by length instead (rounded, at least one each). A shot
    /// shorter than a clip gets one clip from its start.
    /// </summary>
    public static IReadOnlyList<double> ShotClipStarts(IReadOnlyList<(double Start, double End)> shots, double durationSeconds, double clipSeconds, int numClips, int maxClips)
    {
        ArgumentNullException.ThrowIfNull(shots);
        ArgumentOutOfRangeException.ThrowIfLessThan(numClips, 1);
        var each = shots.Count * numClips <= maxClips;
        var starts = new List<double>();
        foreach (var (start, end) in shots)
        {
            var share = each ? numClips : Math.Max(1, (int)Math.Round(numClips * (end - start) / durationSeconds, MidpointRounding.AwayFromZero));
            foreach (var offset in ClipStarts(end - start, clipSeconds, share))
            {
                var at = Math.Round(start + offset, 3);
                if (starts.Count == 0 || at > starts[^1])
                {
                    starts.Add(at);
                }
            }
        }

        return starts;
    }

    /// <summary>
    /// The view a model reads. Frame-interval sampling becomes a rate relative to the source frame rate; TSN segments
    /// become the rate that puts <c>clipLength</c> frames across the whole video.
    /// </summary>
    public static FrameView ViewOf(ModelManifest model, VideoProbe probe)
    {
        var sampling = model.Sampling;
        var fps = sampling.Strategy switch
        {
            SamplingSpec.Segments or SamplingSpec.Mmaction2Segments => sampling.ClipLength / probe.DurationSeconds,
            SamplingSpec.Torchvision => sampling.FrameRate!.Value,
            _ => sampling.Fps ?? probe.Fps / sampling.FrameInterval!.Value,
        };
        // Rounded so that videos at 29.97 and 30 fps share views across models with the same interval.
        fps = Math.Round(fps, 3);
        var p = model.Preprocessing;
        return new FrameView(fps, p.Resize is null ? p.ResizeShortSide : 0, p.CropSize, sampling.ClipLength)
        {
            Resize = p.Resize,
            Sampling = sampling.ByIndex ? sampling.Strategy : null,
        };
    }

    /// <summary>One view per test-time crop (the same clips cut at each crop's window), or the view itself for a centre crop.</summary>
    public static IEnumerable<FrameView> CropViews(FrameView view, PreprocessingSpec preprocessing)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(preprocessing);
        var count = preprocessing.CropCount;
        return count == 1 ? [view] : Enumerable.Range(0, count).Select(i => view with { Crops = preprocessing.Crops, CropIndex = i });
    }

    /// <summary>
    /// The clips a reference library's test-time sampling picks (<see cref="ReferenceSampling"/>), each frame at its
    /// middle. The frame count is the probe's duration × rate (exact for constant-rate files). When torchvision would
    /// skip the video (fewer resampled frames than a clip), one clip from the first frame, padded with the last.
    /// </summary>
    private static List<ClipSpan> IndexedClips(VideoProbe probe, SamplingSpec sampling, FrameView view, int numClips)
    {
        var total = Math.Max(1, probe.EstimatedFrames);
        var indices = view.Sampling switch
        {
            SamplingSpec.Mmaction2 => ReferenceSampling.Mmaction2(total, sampling.ClipLength, sampling.FrameInterval!.Value, numClips),
            // TSN: one frame from each of clipLength segments, stacked as one clip.
            SamplingSpec.Mmaction2Segments => [[.. ReferenceSampling.Mmaction2(total, 1, 1, sampling.ClipLength).Select(s => s[0])]],
            _ => ReferenceSampling.Torchvision(total, probe.Fps, sampling.FrameRate!.Value, sampling.ClipLength, numClips),
        };
        if (indices.Length == 0)
        {
            return [new ClipSpan(0, 0)];
        }

        return [.. indices.Select((frames, i) =>
        {
            double[] times = [.. frames.Select(f => Math.Min(Math.Round((f + 0.5) / probe.Fps, 6), probe.LastFrameSeconds))];
            return new ClipSpan(i, times[0]) { Times = times };
        })];
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
