using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Core.Planning;
using ServerlessVideo.Core.Tensors;
using ServerlessVideo.Inference;
using ServerlessVideo.Media;
using ServerlessVideo.Media.Flow;

namespace ServerlessVideo.Cli.Commands.Bench;

/// <summary>
/// The inference half of the bound: the same clips the pipeline would cut (<see cref="VideoPlanner"/> over the host's
/// available models, <see cref="FrameSource"/> for the frames, decoded untimed), then per model a plain
/// <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// loop over OrtValues built in advance (with the project's <see cref="ClipPreprocessor"/>, untimed), batched as the
/// pipeline batches (one run per segment when the batch dimension is dynamic, else one per clip). Optical flow
/// (<see cref="FlowStack.Compute(ClipTensor, FlowSpec)"/>) is timed on its own.
/// </summary>
internal sealed class BareInference
{
    private readonly IReadOnlyList<LoadedModel> _models;
    private readonly InferenceOptions _options;
    private readonly List<(VideoPlan Plan, Dictionary<string, List<List<ClipTensor>>> Rgb)> _videos = [];
    private readonly Dictionary<(int Video, string View, string Flow), List<List<ClipTensor>>> _flows = [];

    private BareInference(IReadOnlyList<LoadedModel> models, InferenceOptions options)
    {
        _models = models;
        _options = options;
    }

    /// <summary>One model's bare loop: clips, runs, wall milliseconds and CPU seconds of the timed loop.</summary>
    public sealed record ModelTiming(string Id, int Clips, int Runs, double Ms, double CpuSeconds)
    {
        public double MsPerClip => Clips == 0 ? 0 : Ms / Clips;
    }

    /// <summary>The flow computation: clips, wall seconds and CPU seconds.</summary>
    public sealed record FlowTiming(int Clips, double Seconds, double CpuSeconds);

    public IReadOnlyList<LoadedModel> Models => _models;

    /// <summary>Probes, plans and decodes every file's clips (untimed) the way the pipeline would.</summary>
    public static async Task<BareInference> PrepareAsync(IServiceProvider services, IReadOnlyList<string> files, int clipsPerSegment, CancellationToken cancellationToken)
    {
        var registry = services.GetRequiredService<ModelRegistry>();
        var prober = services.GetRequiredService<VideoProber>();
        var frames = services.GetRequiredService<FrameSource>();
        var bare = new BareInference(registry.Available, services.GetRequiredService<InferenceOptions>());
        foreach (var file in files)
        {
            var probe = await prober.ProbeAsync(file, cancellationToken);
            var plan = VideoPlanner.Plan(probe, bare._models.Select(m => m.Manifest), new PlanOptions { ClipsPerSegment = clipsPerSegment });
            var rgb = new Dictionary<string, List<List<ClipTensor>>>(StringComparer.Ordinal);
            foreach (var view in plan.Views)
            {
                var segments = new List<List<ClipTensor>>();
                foreach (var segment in view.Segments)
                {
                    var clips = await frames.ExtractAsync(file, probe, [.. segment.Clips.Select(c => new ClipRequest(view.View, c))], cancellationToken);
                    segments.Add([.. clips]);
                }

                rgb[view.View.Key] = segments;
            }

            bare._videos.Add((plan, rgb));
        }

        return bare;
    }

    /// <summary>Computes every flow the plans ask for, as the pipeline's flow activity does (clip by clip).</summary>
    public FlowTiming ComputeFlows()
    {
        var cpu = CpuTimes.OfSelf();
        var watch = Stopwatch.StartNew();
        var clips = 0;
        for (var v = 0; v < _videos.Count; v++)
        {
            foreach (var view in _videos[v].Plan.Views)
            {
                foreach (var flow in view.Flows ?? [])
                {
                    _flows[(v, view.View.Key, flow.Key)] = [.. _videos[v].Rgb[view.View.Key].Select(segment => segment.Select(c => FlowStack.Compute(c, flow)).ToList())];
                    clips += view.ClipCount;
                }
            }
        }

        return new FlowTiming(clips, watch.Elapsed.TotalSeconds, (CpuTimes.OfSelf() - cpu).TotalSeconds);
    }

    /// <summary>The bare loop of every model, one after the other.</summary>
    public IReadOnlyList<ModelTiming> RunAll(Action<string>? phase) => [.. _models.Select(m =>
    {
        var timing = Run(m);
        phase?.Invoke($"  bare {m.Id}: {timing.Clips} clips in {timing.Runs} runs, {BenchReport.Ms(timing.MsPerClip)}/clip");
        return timing;
    })];

    /// <summary>Input names and the tensors of one run each, for <paramref name="model"/> over all videos.</summary>
    private List<OrtValue[]> Batches(LoadedModel model, bool dynamicBatch, out int clips)
    {
        var m = model.Manifest;
        var preprocessors = m.Inputs
            .Select(i => new ClipPreprocessor(m.Preprocessing with { Mean = i.Mean ?? m.Preprocessing.Mean, Std = i.Std ?? m.Preprocessing.Std }))
            .ToList();
        var batches = new List<OrtValue[]>();
        clips = 0;
        for (var v = 0; v < _videos.Count; v++)
        {
            var view = _videos[v].Plan.Views.FirstOrDefault(x => x.ModelIds.Contains(model.Id, StringComparer.Ordinal));
            if (view is null)
            {
                continue;
            }

            for (var s = 0; s < view.Segments.Count; s++)
            {
                var streams = m.Inputs.Select(i => i.Stream == ModelInput.FlowStream
                    ? _flows[(v, view.View.Key, i.Flow!.Key)][s]
                    : _videos[v].Rgb[view.View.Key][s]).ToList();
                var count = streams[0].Count;
                clips += count;
                var batch = dynamicBatch ? count : 1;
                for (var start = 0; start < count; start += batch)
                {
                    var n = Math.Min(batch, count - start);
                    batches.Add([.. m.Inputs.Select((input, k) => Tensor(input, preprocessors[k], streams[k].Skip(start).Take(n).ToList()))]);
                }
            }
        }

        return batches;
    }

    private static OrtValue Tensor(ModelInput input, ClipPreprocessor preprocessor, IReadOnlyList<ClipTensor> clips)
    {
        var strided = clips.Select(c => c.TakeEvery(input.FrameStride)).ToList();
        var first = strided[0];
        var perClip = first.Channels * first.Frames * first.Height * first.Width;
        var data = new float[perClip * strided.Count];
        for (var i = 0; i < strided.Count; i++)
        {
            preprocessor.Write(strided[i], input.Layout, data.AsSpan(i * perClip, perClip));
        }

        long[] shape = input.Layout switch
        {
            "NCTHW" => [strided.Count, first.Channels, first.Frames, first.Height, first.Width],
            "NTCHW" => [strided.Count, first.Frames, first.Channels, first.Height, first.Width],
            _ => [strided.Count * first.Frames, first.Channels, first.Height, first.Width],
        };
        return OrtValue.CreateTensorValueFromMemory(data, shape);
    }

    private ModelTiming Run(LoadedModel model)
    {
        using var options = ModelRegistry.BaseOptions(_options);
        using var session = new InferenceSession(model.ModelPath, options);
        var m = model.Manifest;
        var dynamicBatch = m.Inputs.All(i => session.InputMetadata[i.Name].Dimensions is [< 0, ..]);
        var inputNames = m.Inputs.Select(i => i.Name).ToList();
        var outputNames = m.Output.Fusion?.Select(f => f.Name).ToList() ?? [m.Output.Name ?? session.OutputMetadata.Keys.First()];
        var batches = Batches(model, dynamicBatch, out var clips);
        try
        {
            using var runOptions = new RunOptions();
            if (batches.Count > 0)
            {
                // One untimed run first: the pipeline's sessions have served other videos before.
                using var warm = session.Run(runOptions, inputNames, batches[0], outputNames);
            }

            var cpu = CpuTimes.OfSelf();
            var watch = Stopwatch.StartNew();
            foreach (var values in batches)
            {
                using var outputs = session.Run(runOptions, inputNames, values, outputNames);
            }

            return new ModelTiming(model.Id, clips, batches.Count, watch.Elapsed.TotalMilliseconds, (CpuTimes.OfSelf() - cpu).TotalSeconds);
        }
        finally
        {
            batches.ForEach(b => Array.ForEach(b, v => v.Dispose()));
        }
    }
}
