using Microsoft.ML.OnnxRuntime;
using ServerlessVideo.Core.Manifests;

namespace ServerlessVideo.Inference;

/// <summary>Checks a manifest against its ONNX graph: every input's name, type, rank and fixed dimensions, and the outputs.</summary>
internal static class ModelSessionValidator
{
    /// <summary>The outputs to read with their normalised fusion weights, and whether the batch dimension is dynamic.</summary>
    public static (IReadOnlyList<(string Name, float Weight)> Outputs, bool DynamicBatch) Validate(LoadedModel model, InferenceSession session)
    {
        var m = model.Manifest;
        var where = $"{model.Directory}/{ManifestLoader.ManifestFileName}";
        var dynamic = m.Inputs.Select(input => CheckInput(m, input, session, where)).ToList();
        var dynamicBatch = dynamic.All(d => d);
        if (dynamic.Distinct().Count() > 1)
        {
            throw new ManifestException($"{where}: inputs disagree on a dynamic batch dimension.");
        }

        if (m.Inputs is [{ Layout: "NCHW" }] && !dynamicBatch && m.Sampling.ClipLength != 1)
        {
            throw new ManifestException($"{where}: per-frame (NCHW) models need a dynamic batch dimension to take {m.Sampling.ClipLength} frames.");
        }

        var fusion = m.Output.Fusion;
        IReadOnlyList<(string Name, float Weight)> outputs = fusion is null
            ? [(m.Output.Name ?? session.OutputMetadata.Keys.First(), 1f)]
            : [.. fusion.Select(f => (f.Name, (float)(f.Weight / fusion.Sum(x => x.Weight))))];
        foreach (var (name, _) in outputs)
        {
            if (!session.OutputMetadata.TryGetValue(name, out var meta))
            {
                throw new ManifestException($"{where}: output '{name}' is not in the ONNX graph (it has: {string.Join(", ", session.OutputMetadata.Keys)}).");
            }

            var classes = meta.Dimensions.Length > 0 ? meta.Dimensions[^1] : 0;
            if (classes > 0 && classes != model.Labels.Count)
            {
                throw new ManifestException($"{where}: output '{name}' has {classes} classes but '{m.Labels}' lists {model.Labels.Count} labels.");
            }
        }

        return (outputs, dynamicBatch);
    }

    /// <summary>Returns whether the input's batch dimension is dynamic.</summary>
    private static bool CheckInput(ModelManifest m, ModelInput input, InferenceSession session, string where)
    {
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

        var flow = input.Stream == ModelInput.FlowStream;
        var channels = flow ? 2 : 3;
        // A flow stream has one field fewer than the clip has frames; the stride then applies to either.
        var streamFrames = flow ? m.Sampling.ClipLength - 1 : m.Sampling.ClipLength;
        var frames = ((streamFrames - 1) / input.FrameStride) + 1;
        var crop = m.Preprocessing.CropSize;
        int?[] expected = input.Layout switch
        {
            "NCTHW" => [null, channels, frames, crop, crop],
            "NTCHW" => [null, frames, channels, crop, crop],
            _ => [null, channels, crop, crop],
        };
        for (var i = 1; i < dims.Length; i++)
        {
            if (dims[i] > 0 && dims[i] != expected[i])
            {
                throw new ManifestException(
                    $"{where}: input '{input.Name}' dimension {i} is {dims[i]} but the manifest implies {expected[i]} ({input.Layout}, {input.Stream}, clipLength {m.Sampling.ClipLength}, frameStride {input.FrameStride}, cropSize {crop}).");
            }
        }

        var dynamicBatch = dims[0] <= 0;
        if (!dynamicBatch && dims[0] != 1)
        {
            throw new ManifestException($"{where}: a fixed batch dimension must be 1, found {dims[0]}.");
        }

        return dynamicBatch;
    }
}
