using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using ServerlessVideo.Core.Tensors;
using ServerlessVideo.Inference;

namespace ServerlessVideo.Cli.Commands.Bench;

/// <summary>
/// <c>inference</c>: per built-in model, the inference milliseconds per clip the pipeline reports for the batch's
/// videos (<c>models[].inferenceMs / clips</c> of GET /api/videos/{id}: preprocessing, the run and the activation)
/// against the bare <c>InferenceSession.Run</c> loop over the same clips. Then a real-size model: an r3d_18-shaped
/// graph run through the pipeline's <see cref="ModelSession"/> and through bare ONNX Runtime, back to back.
/// </summary>
internal static class InferenceScenario
{
    public const string Name = "inference";

    public static async Task RunAsync(BenchContext context, BatchScenario.Result? batch, CancellationToken cancellationToken)
    {
        if (batch is null)
        {
            var count = 8;
            context.Phase($"{Name}: no batch run to reuse: bare inference and a pipeline batch of {count} clips …");
            batch = await BatchScenario.MeasureAsync(context, count, full: false, cancellationToken);
        }

        var report = context.Report;
        var json = report.Scenario(Name);
        var models = new JsonObject();
        json["models"] = models;
        double pipelineScaled = 0, bareTotal = 0;
        foreach (var bare in batch.Bare)
        {
            var (pipeMs, pipeClips) = Reported(batch.BatchVideos, bare.Id);
            var (aloneMs, aloneClips) = Reported(batch.AloneVideos, bare.Id);
            double? pipePerClip = pipeClips > 0 ? pipeMs / pipeClips : null;
            double? alonePerClip = aloneClips > 0 ? aloneMs / aloneClips : null;
            var ratio = BenchStats.Ratio(pipePerClip, bare.MsPerClip);
            if (pipePerClip is { } p)
            {
                pipelineScaled += p * bare.Clips;
                bareTotal += bare.Ms;
            }

            report.Row(Name, $"{bare.Id} ms/clip (batch)", BenchReport.Ms(pipePerClip), BenchReport.Ms(bare.MsPerClip), ratio);
            models[bare.Id] = new JsonObject
            {
                ["pipelineMsPerClipBatch"] = BenchReport.Round(pipePerClip),
                ["pipelineClipsBatch"] = pipeClips,
                ["pipelineMsPerClipAlone"] = BenchReport.Round(alonePerClip),
                ["bareMsPerClip"] = BenchReport.Round(bare.MsPerClip),
                ["bareClips"] = bare.Clips,
                ["bareRuns"] = bare.Runs,
                ["ratio"] = BenchReport.Round(ratio),
                ["ratioAlone"] = BenchReport.Round(BenchStats.Ratio(alonePerClip, bare.MsPerClip)),
            };
        }

        var overall = BenchStats.Ratio(pipelineScaled, bareTotal);
        report.Row(Name, "all built-in models (clip-weighted)", BenchReport.Seconds(pipelineScaled / 1000), BenchReport.Seconds(bareTotal / 1000), overall);
        report.Note("inference: pipeline ms/clip = Σ models[].inferenceMs / Σ models[].clips over the batch's videos (ModelSession.Run: preprocessing + run + activation, "
            + "while other activities share the cores); bare = InferenceSession.Run alone on prebuilt OrtValues, same batches, same session options.");
        json["overallRatio"] = BenchReport.Round(overall);

        RealSize(context, cancellationToken);
    }

    /// <summary>Σ inferenceMs and Σ clips the pipeline reported for <paramref name="model"/> over the completed videos.</summary>
    private static (double Ms, int Clips) Reported(IEnumerable<JsonNode> videos, string model)
    {
        double ms = 0;
        var clips = 0;
        foreach (var m in videos.Where(BenchHost.IsCompleted).SelectMany(v => v["models"]?.AsArray() ?? []).OfType<JsonNode>())
        {
            if (m["id"]?.GetValue<string>() == model)
            {
                ms += m["inferenceMs"]!.GetValue<double>();
                clips += m["clips"]!.GetValue<int>();
            }
        }

        return (ms, clips);
    }

    /// <summary>The r3d_18-shaped model through <see cref="ModelSession"/> (one clip per run, as a segment of one) and bare.</summary>
    private static void RealSize(BenchContext context, CancellationToken cancellationToken)
    {
        var clipsCount = context.Quick ? 3 : 5;
        var folder = Path.Combine(context.ScratchFolder, "models", R3d18Model.Id);
        context.Phase($"{Name}: writing an r3d_18-shaped ONNX graph (33 M random weights) to {folder} …");
        R3d18Model.WriteTo(folder);
        var inference = context.Host.Services.GetRequiredService<InferenceOptions>();
        using var registry = new ModelRegistry(
            new InferenceOptions { ModelsPath = Path.GetDirectoryName(folder)!, IntraOpThreads = inference.IntraOpThreads },
            NullLogger<ModelRegistry>.Instance);
        var random = new Random(3);
        var clips = Enumerable.Range(0, clipsCount).Select(_ =>
        {
            var data = new byte[R3d18Model.Frames * R3d18Model.Crop * R3d18Model.Crop * ClipTensor.RgbChannels];
            random.NextBytes(data);
            return new ClipTensor(R3d18Model.Frames, R3d18Model.Crop, R3d18Model.Crop, data);
        }).ToList();

        // Both sides open and warm first, then clip by clip: bare run, ModelSession run, so that a noisy neighbour
        // hits both alike; the medians are compared.
        context.Phase($"{Name}: r3d_18: {clipsCount} clips, each through bare InferenceSession.Run and then the pipeline's ModelSession (after a warm-up of each) …");
        var model = registry.Models.Single();
        var modelSession = registry.Session(R3d18Model.Id);
        using var options = ModelRegistry.BaseOptions(inference);
        using var session = new InferenceSession(model.ModelPath, options);
        using var runOptions = new RunOptions();
        var preprocessor = new ClipPreprocessor(model.Manifest.Preprocessing);
        var values = clips.Select(c =>
        {
            var data = new float[c.Data.Length];
            preprocessor.Write(c, "NCTHW", data);
            return OrtValue.CreateTensorValueFromMemory(data, [1, 3, R3d18Model.Frames, R3d18Model.Crop, R3d18Model.Crop]);
        }).ToList();
        var bareRuns = new List<double>();
        var sessionRuns = new List<double>();
        try
        {
            using (session.Run(runOptions, ["video"], [values[0]], ["logits"]))
            {
            }

            modelSession.Run([clips[0]]);
            for (var i = 0; i < clipsCount; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var watch = Stopwatch.StartNew();
                using (session.Run(runOptions, ["video"], [values[i]], ["logits"]))
                {
                }

                bareRuns.Add(watch.Elapsed.TotalMilliseconds);
                watch.Restart();
                modelSession.Run([clips[i]]);
                sessionRuns.Add(watch.Elapsed.TotalMilliseconds);
            }
        }
        finally
        {
            values.ForEach(v => v.Dispose());
        }

        var bareMs = BenchStats.Median(bareRuns);
        var sessionMs = BenchStats.Median(sessionRuns);
        context.Phase(string.Create(CultureInfo.InvariantCulture, $"{Name}:   r3d_18 median ModelSession {sessionMs:0} ms/clip, bare {bareMs:0} ms/clip"));
        context.Report.Row(Name, "r3d_18-shaped (random weights) median ms/clip: ModelSession vs bare", BenchReport.Ms(sessionMs), BenchReport.Ms(bareMs), BenchStats.Ratio(sessionMs, bareMs));
        context.Report.Scenario(Name)["r3d18"] = new JsonObject
        {
            ["clips"] = clipsCount,
            ["modelSessionMsPerClip"] = BenchReport.Round(sessionMs),
            ["bareMsPerClip"] = BenchReport.Round(bareMs),
            ["modelSessionMs"] = new JsonArray([.. sessionRuns.Select(r => BenchReport.Round(r))]),
            ["bareMs"] = new JsonArray([.. bareRuns.Select(r => BenchReport.Round(r))]),
            ["ratio"] = BenchReport.Round(BenchStats.Ratio(sessionMs, bareMs)),
            ["provider"] = modelSession.Provider,
        };
        Directory.Delete(folder, recursive: true);
    }
}
