using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Core.Tensors;

namespace ServerlessVideo.Inference;

/// <summary>
/// One model's ONNX Runtime session, checked against its manifest at load and reused for every clip. Every input
/// reads a stream of the same sampled clips (RGB frames, every k-th of them, or the optical flow between them); the
/// output, or the weighted late fusion of several, becomes per-clip probabilities. Runs are thread-safe (ONNX Runtime
/// sessions allow concurrent <c>Run</c>).
/// </summary>
public sealed class ModelSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly IReadOnlyList<(ModelInput Input, ClipPreprocessor Preprocessor)> _inputs;
    private readonly IReadOnlyList<(string Name, float Weight)> _outputs;
    private readonly bool _dynamicBatch;

    internal ModelSession(LoadedModel model, InferenceSession session, string provider)
    {
        Model = model;
        _session = session;
        Provider = provider;
        var m = model.Manifest;
        _inputs = m.Inputs
            .Select(i => (i, new ClipPreprocessor(m.Preprocessing with { Mean = i.Mean ?? m.Preprocessing.Mean, Std = i.Std ?? m.Preprocessing.Std })))
            .ToList();
        (_outputs, _dynamicBatch) = ModelSessionValidator.Validate(model, session);
    }

    public LoadedModel Model { get; }

    /// <summary>The execution provider the session really runs on.</summary>
    public string Provider { get; }

    /// <summary>The streams a run needs, keyed as <see cref="ModelInput.StreamKey"/>: <c>rgb</c> and any flow keys.</summary>
    public IReadOnlyList<string> StreamKeys => [.. _inputs.Select(i => i.Input.StreamKey).Distinct(StringComparer.Ordinal)];

    private bool PerFrame => _inputs is [{ Input.Layout: "NCHW" }];

    /// <summary>Class probabilities for each RGB clip of a model that reads RGB only.</summary>
    public float[][] Run(IReadOnlyList<ClipTensor> clips) => Run(new Dictionary<string, IReadOnlyList<ClipTensor>> { [ModelInput.Rgb] = clips });

    /// <summary>
    /// Class probabilities for each clip, after the manifest's activation (and late fusion). <paramref name="streams"/>
    /// holds, per <see cref="StreamKeys"/> entry, one tensor per clip in the same clip order. Per-frame models average
    /// their frames' probabilities.
    /// </summary>
    public float[][] Run(IReadOnlyDictionary<string, IReadOnlyList<ClipTensor>> streams)
    {
        ArgumentNullException.ThrowIfNull(streams);
        var missing = StreamKeys.Where(k => !streams.ContainsKey(k)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"Model '{Model.Id}' needs the stream(s) {string.Join(", ", missing)}.", nameof(streams));
        }

        var count = streams[StreamKeys[0]].Count;
        if (StreamKeys.Any(k => streams[k].Count != count))
        {
            throw new ArgumentException($"Model '{Model.Id}': every stream must hold one tensor per clip.", nameof(streams));
        }

        var results = new float[count][];
        var batch = _dynamicBatch ? Math.Max(count, 1) : 1;
        for (var start = 0; start < count; start += batch)
        {
            var n = Math.Min(batch, count - start);
            RunBatch(streams, start, n).CopyTo(results, start);
        }

        return results;
    }

    private float[][] RunBatch(IReadOnlyDictionary<string, IReadOnlyList<ClipTensor>> streams, int start, int count)
    {
        var values = new List<OrtValue>(_inputs.Count);
        try
        {
            long rows = 0;
            var framesPerClip = 1;
            foreach (var (input, preprocessor) in _inputs)
            {
                var clips = streams[input.StreamKey].Skip(start).Take(count).Select(c => c.TakeEvery(input.FrameStride)).ToList();
                var first = clips[0];
                var perClip = first.Channels * first.Frames * first.Height * first.Width;
                var data = new float[perClip * count];
                for (var i = 0; i < count; i++)
                {
                    preprocessor.Write(clips[i], input.Layout, data.AsSpan(i * perClip, perClip));
                }

                long[] shape = input.Layout switch
                {
                    "NCTHW" => [count, first.Channels, first.Frames, first.Height, first.Width],
                    "NTCHW" => [count, first.Frames, first.Channels, first.Height, first.Width],
                    _ => [count * first.Frames, first.Channels, first.Height, first.Width],
                };
                rows = shape[0];
                framesPerClip = first.Frames;
                values.Add(OrtValue.CreateTensorValueFromMemory(data, shape));
            }

            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, _inputs.Select(i => i.Input.Name).ToList(), values, _outputs.Select(o => o.Name).ToList());
            var classes = Model.Labels.Count;
            var rowsPerClip = PerFrame ? framesPerClip : 1;
            var result = Enumerable.Range(0, count).Select(_ => new float[classes]).ToArray();
            var row = new float[classes];
            for (var o = 0; o < _outputs.Count; o++)
            {
                var scores = outputs[o].GetTensorDataAsSpan<float>();
                if (scores.Length != rows * classes)
                {
                    throw new InvalidOperationException(
                        $"Model '{Model.Id}' returned {scores.Length} scores from '{_outputs[o].Name}' for {rows} rows; expected {classes} per row.");
                }

                var weight = _outputs[o].Weight / rowsPerClip;
                for (var c = 0; c < count; c++)
                {
                    for (var r = 0; r < rowsPerClip; r++)
                    {
                        scores.Slice(((c * rowsPerClip) + r) * classes, classes).CopyTo(row);
                        if (!Model.Manifest.Output.AveragesLogits)
                        {
                            Activations.Apply(Model.Manifest.Output.Activation, row);
                        }

                        TensorPrimitives.MultiplyAdd(row, weight, result[c], result[c]);
                    }
                }
            }

            return result;
        }
        finally
        {
            values.ForEach(v => v.Dispose());
        }
    }

    public void Dispose() => _session.Dispose();
}
