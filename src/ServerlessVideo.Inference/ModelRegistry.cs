using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using ServerlessVideo.Core.Manifests;

namespace ServerlessVideo.Inference;

/// <summary>
/// The models a host serves: manifests read once at start, one ONNX Runtime session per model created on first use
/// and reused, disposed with the registry.
/// </summary>
public sealed partial class ModelRegistry : IDisposable
{
    private readonly InferenceOptions _options;
    private readonly ILogger<ModelRegistry> _logger;
    private readonly ConcurrentDictionary<string, Lazy<ModelSession>> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LoadedModel> _models;

    public ModelRegistry(InferenceOptions options, ILogger<ModelRegistry> logger)
    {
        _options = options;
        _logger = logger;
        _models = ManifestLoader.LoadAll(options.ModelsPath).ToDictionary(m => m.Id, StringComparer.Ordinal);
    }

    /// <summary>Every model, ordered by id.</summary>
    public IReadOnlyList<LoadedModel> Models => [.. _models.Values.OrderBy(m => m.Id, StringComparer.Ordinal)];

    public LoadedModel Get(string id) =>
        _models.TryGetValue(id, out var m) ? m : throw new KeyNotFoundException($"No model '{id}' in '{_options.ModelsPath}'.");

    /// <summary>The session of <paramref name="id"/>, created (and checked against its manifest) on first call.</summary>
    public ModelSession Session(string id)
    {
        var model = Get(id);
        return _sessions.GetOrAdd(id, _ => new Lazy<ModelSession>(() => Create(model))).Value;
    }

    /// <summary>Opens every session now, so a bad manifest or model fails at start rather than on the first video.</summary>
    public void WarmUp()
    {
        foreach (var id in _models.Keys)
        {
            _ = Session(id);
        }
    }

    private ModelSession Create(LoadedModel model)
    {
        var wantCuda = string.Equals(_options.ExecutionProvider, "cuda", StringComparison.OrdinalIgnoreCase);
        if (wantCuda)
        {
            var options = BaseOptions();
            try
            {
                options.AppendExecutionProvider_CUDA(_options.CudaDeviceId);
                var session = new InferenceSession(model.ModelPath, options);
                LogLoaded(_logger, model.Id, ExecutionProviders.Cuda);
                return Checked(model, session, ExecutionProviders.Cuda);
            }
            catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                // The options object may hold a half-registered provider: start again from fresh options.
                LogCudaFallback(_logger, ex, model.Id, ex.Message);
            }
            finally
            {
                options.Dispose();
            }
        }

        using var cpuOptions = BaseOptions();
        var cpu = new InferenceSession(model.ModelPath, cpuOptions);
        LogLoaded(_logger, model.Id, ExecutionProviders.Cpu);
        return Checked(model, cpu, ExecutionProviders.Cpu);
    }

    /// <summary>The session checked against its manifest; a rejected one releases its native memory at once.</summary>
    private static ModelSession Checked(LoadedModel model, InferenceSession session, string provider)
    {
        try
        {
            return new ModelSession(model, session, provider);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private SessionOptions BaseOptions()
    {
        var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        // Several sessions share the cores: idle spinning threads would steal them from each other.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        options.AddSessionConfigEntry("session.inter_op.allow_spinning", "0");
        if (_options.IntraOpThreads > 0)
        {
            options.IntraOpNumThreads = _options.IntraOpThreads;
        }

        return options;
    }

    public void Dispose()
    {
        foreach (var s in _sessions.Values.Where(s => s.IsValueCreated))
        {
            s.Value.Dispose();
        }

        _sessions.Clear();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {ModelId} loaded on {Provider}")]
    private static partial void LogLoaded(ILogger logger, string modelId, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "CUDA unavailable for model {ModelId}, falling back to CPU: {Reason}")]
    private static partial void LogCudaFallback(ILogger logger, Exception exception, string modelId, string reason);
}
