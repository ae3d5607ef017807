using Microsoft.ML.OnnxRuntime;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Core.Tensors;

namespace ServerlessVideo.Inference;

/// <summary>
/// One model's ONNX Runtime session, checked against its manifest at load and reused for every clip. Runs are
/// thread-safe (ONNX Runtime sessions allow concurrent <c>Run</c>).
/// </summary>
public sealed class ModelSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly ClipPreprocessor _preprocessor;
    private readonly ModelInput _input;
    private readonly string _outputName;
    private readonly bool _dynamicBatch;

    internal ModelSession(LoadedModel model, InferenceSession session, string provider)
    {
        Model = model;
        _session = session;
        Provider = provider;
        _preprocessor = new ClipPreprocessor(model.Manifest.Preprocessing);
        _input = model.Manifest.Inputs[0];
        (_outputName, _dynamicBatch) = Validate(model, session);
    }

    public LoadedModel Model { get; }

    /// <summary>The execution provider the session really runs on.</summary>
    public string Provider { get; }

    private bool PerFrame => _input.Layout == "NCHW";

    /// <summary>Class probabilities for each clip, after the manifest's activation. Per-frame models average their frames' probabilities.</summary>
    public float[][] Run(IReadOnlyList<ClipTensor> clips)
    {
        var results = new float[clips.Count][];
        var batch = _dynamicBatch ? clips.Count : 1;
        for (var start = 0; start < clips.Count; start += batch)
        {
            var count = Math.Min(batch, clips.Count - start);
            var chunk = Enumerable.Range(start, count).Select(i => clips[i]).ToList();
            var probs = RunBatch(chunk);
            probs.CopyTo(results, start);
        }

        return results;
    }

    private float[][] RunBatch(IReadOnlyList<ClipTensor> clips)
    {
        var first = clips[0];
        var perClip = first.Channels * first.Frames * first.Height * first.Width;
        var data = new float[perClip * clips.Count];
        for (var i = 0; i < clips.Count; i++)
        {
            _preprocessor.Write(clips[i], _input.Layout, data.AsSpan(i * perClip, perClip));
        }

        long[] shape = _input.Layout switch
        {
            "NCTHW" => [clips.Count, first.Channels, first.Frames, first.Height, first.Width],
            "NTCHW" => [clips.Count, first.Frames, first.Channels, first.Height, first.Width],
            _ => [clips.Count * first.Frames, first.Channels, first.Height, first.Width],
        };

        using var input = OrtValue.CreateTensorValueFromMemory(data, shape);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, [_input.Name], [input], [_outputName]);
        var scores = outputs[0].GetTensorDataAsSpan<float>();
        var classes = Model.Labels.Count;
        var rows = scores.Length / classes;
        if (rows * classes != scores.Length || rows != shape[0])
        {
            throw new InvalidOperationException(
                $"Model '{Model.Id}' returned {scores.Length} scores for {shape[0]} rows; expected {classes} per row.");
        }

        var activation = Model.Manifest.Output.Activation;
        var rowsPerClip = PerFrame ? first.Frames : 1;
        var result = new float[clips.Count][];
        for (var c = 0; c < clips.Count; c++)
        {
            var mean = new float[classes];
            var row = new float[classes];
            for (var r = 0; r < rowsPerClip; r++)
            {
                scores.Slice(((c * rowsPerClip) + r) * classes, classes).CopyTo(row);
                Activations.Apply(activation, row);
                System.Numerics.Tensors.TensorPrimitives.Add(mean, row, mean);
            }

            System.Numerics.Tensors.TensorPrimitives.Divide(mean, rowsPerClip, mean);
            result[c] = mean;
        }

        return result;
    }

    private static (string OutputName, bool DynamicBatch) Validate(LoadedModel model, InferenceSession session)
    {
        var m = model.Manifest;
        var where = $"{model.Directory}/{ManifestLoader.ManifestFileName}";
        var input = m.Inputs[0];
        if (!session.InputMetadata.TryGetValue(input.Name, out var meta))
        {
            throw new ManifestException($"{where}: input '{input.Name}' is not in the ONNX graph (it has: {string.Join(", ", session.InputMetadata.Keys)}).");
        }

        if (meta.ElementType != typeof(float))
        {
            throw new ManifestException($"{where}: input '{input.Name}' is {meta.ElementType.Name}; float32 is required.");
        }

        var dims = meta.Dimensions;
        var expectedRank = input.Layout == "NCHW" ? 4 : 5;
        if (dims.Length != expectedRank)
        {
            throw new ManifestException($"{where}: layout {input.Layout} needs a rank-{expectedRank} input but '{input.Name}' has rank {dims.Length}.");
        }

        var crop = m.Preprocessing.CropSize;
        int?[] expected = input.Layout switch
        {
            "NCTHW" => [null, 3, m.Sampling.ClipLength, crop, crop],
            "NTCHW" => [null, m.Sampling.ClipLength, 3, crop, crop],
            _ => [null, 3, crop, crop],
        };
        for (var i = 1; i < dims.Length; i++)
        {
            if (dims[i] > 0 && dims[i] != expected[i])
            {
                throw new ManifestException(
                    $"{where}: input '{input.Name}' dimension {i} is {dims[i]} but the manifest implies {expected[i]} ({input.Layout}, clipLength {m.Sampling.ClipLength}, cropSize {crop}).");
            }
        }

        var dynamicBatch = dims[0] <= 0;
        if (!dynamicBatch && dims[0] != 1)
        {
            throw new ManifestException($"{where}: a fixed batch dimension must be 1, found {dims[0]}.");
        }

        if (input.Layout == "NCHW" && !dynamicBatch && m.Sampling.ClipLength != 1)
        {
            throw new ManifestException($"{where}: per-frame (NCHW) models need a dynamic batch dimension to take {m.Sampling.ClipLength} frames.");
        }

        var outputName = m.Output.Name ?? session.OutputMetadata.Keys.First();
        if (!session.OutputMetadata.TryGetValue(outputName, out var outMeta))
        {
            throw new ManifestException($"{where}: output '{outputName}' is not in the ONNX graph (it has: {string.Join(", ", session.OutputMetadata.Keys)}).");
        }

        var classes = outMeta.Dimensions.Length > 0 ? outMeta.Dimensions[^1] : 0;
        if (classes > 0 && classes != model.Labels.Count)
        {
            throw new ManifestException($"{where}: output '{outputName}' has {classes} classes but '{m.Labels}' lists {model.Labels.Count} labels.");
        }

        return (outputName, dynamicBatch);
    }

    public void Dispose() => _session.Dispose();
}
