using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Core.Tensors;
using ServerlessVideo.Inference;
using ServerlessVideo.Media.Flow;

namespace ServerlessVideo.Pipeline.Activities;

/// <summary>
/// The compute of one (view, segment), with no storage: the optical flows its models read, from the same clips (by
/// the code training used), then every model over the clips. A model that fails is tried once more, then reported with
/// its reason while the others go on.
/// </summary>
public sealed partial class ModelRunner(ModelRegistry models, ILogger<ModelRunner> logger)
{
    /// <summary>Runs of one model on one segment before it is reported failed.</summary>
    private const int Attempts = 2;

    /// <summary>One model's run: per-clip probabilities, or the first line of why it failed.</summary>
    public sealed record ModelRun(string ModelId, string Provider, double Ms, float[][]? Scores, string? Error);

    public IReadOnlyList<ModelRun> Run(string videoId, string viewKey, IReadOnlyList<string> modelIds, IReadOnlyList<FlowSpec> flows, IReadOnlyList<ClipTensor> clips)
    {
        ArgumentNullException.ThrowIfNull(modelIds);
        ArgumentNullException.ThrowIfNull(flows);
        var streams = new Dictionary<string, IReadOnlyList<ClipTensor>>(StringComparer.Ordinal) { [ModelInput.Rgb] = clips };
        foreach (var flow in flows)
        {
            streams[flow.Key] = [.. clips.Select(c => FlowStack.Compute(c, flow))];
        }

        var runs = new List<ModelRun>(modelIds.Count);
        foreach (var modelId in modelIds)
        {
            var session = models.Session(modelId);
            var missing = session.StreamKeys.Where(k => !streams.ContainsKey(k)).ToList();
            if (missing.Count > 0)
            {
                throw new InvalidOperationException($"Model '{modelId}' reads stream(s) {string.Join(", ", missing)}, which view {viewKey} does not compute.");
            }

            var watch = Stopwatch.StartNew();
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var scores = session.Run(streams);
                    runs.Add(new ModelRun(modelId, session.Provider, Math.Round(watch.Elapsed.TotalMilliseconds, 1), scores, null));
                    break;
                }
                catch (Exception ex) when (ex is OnnxRuntimeException or ArgumentException or InvalidOperationException or OutOfMemoryException)
                {
                    // One model failing must not fail the others of the view: try once more, then report it with its
                    // reason and let the video complete with the rest.
                    LogModelFailed(logger, modelId, videoId, attempt, ex.Message);
                    if (attempt >= Attempts)
                    {
                        runs.Add(new ModelRun(modelId, session.Provider, Math.Round(watch.Elapsed.TotalMilliseconds, 1), null, ex.Message.Split('\n', 2)[0].Trim()));
                        break;
                    }
                }
            }
        }

        return runs;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {ModelId} failed on video {VideoId} (attempt {Attempt}): {Reason}")]
    private static partial void LogModelFailed(ILogger logger, string modelId, string videoId, int attempt, string reason);
}
