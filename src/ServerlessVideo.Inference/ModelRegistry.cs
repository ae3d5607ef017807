using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using ServerlessVideo.Core;
using ServerlessVideo.Core.Manifests;

namespace ServerlessVideo.Inference;

/// <summary>
/// The models a host serves: manifests read once at start, one ONNX Runtime session per model created on first use
/// and reused, disposed with the registry. A model that cannot load (bad manifest, missing or corrupt
/// <c>model.onnx</c>, graph and manifest disagree) is listed in <see cref="Unavailable"/> with its reason and logged
/// once at Error; the others serve. Nothing here throws because of one model.
/// </summary>
public sealed partial class ModelRegistry : IDisposable
{
    private readonly InferenceOptions _options;
    private readonly ILogger<ModelRegistry> _logger;
    private readonly ConcurrentDictionary<string, Lazy<ModelSession>> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LoadedModel> _models;
    private readonly Dictionary<string, UnavailableModel> _badManifests;
    private readonly Lazy<(IReadOnlyList<LoadedModel> Available, IReadOnlyList<UnavailableModel> Unavailable)> _opened;

    public ModelRegistry(InferenceOptions options, ILogger<ModelRegistry> logger)
    {
        _options = options;
        _logger = logger;
        try
        {
            var scan = ModelFolders.Scan(options.ModelsPath);
            _models = scan.Models.ToDictionary(m => m.Id, StringComparer.Ordinal);
            _badManifests = scan.Failed.ToDictionary(m => m.Id, StringComparer.Ordinal);
            if (_models.Count == 0 && _badManifests.Count == 0)
            {
                LoadError = $"Models folder '{options.ModelsPath}' holds no '<id>/{ManifestLoader.ManifestFileName}'.";
            }
        }
        catch (ManifestException ex)
        {
            _models = [];
            _badManifests = [];
            LoadError = ex.Message;
        }

        _opened = new(Open, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Every model whose manifest loaded, ordered by id, whether or not its session opens.</summary>
    public IReadOnlyList<LoadedModel> Models => [.. _models.Values.OrderBy(m => m.Id, StringComparer.Ordinal)];

    /// <summary>
    /// The models whose session opened and agrees with its manifest, ordered by id: the ones to plan videos for. The
    /// first call opens every session (as <see cref="WarmUp"/>).
    /// </summary>
    public IReadOnlyList<LoadedModel> Available => _opened.Value.Available;

    /// <summary>
    /// The models that cannot run, ordered by id, each with <see cref="ReasonCodes.ModelUnavailable"/> and the error.
    /// The first call opens every session (as <see cref="WarmUp"/>).
    /// </summary>
    public IReadOnlyList<UnavailableModel> Unavailable => _opened.Value.Unavailable;

    /// <summary>Why no model could be listed at all (the models folder is missing or holds no manifest); null when it was read.</summary>
    public string? LoadError { get; }

    public LoadedModel Get(string id) =>
        _models.TryGetValue(id, out var m) ? m
        : _badManifests.TryGetValue(id, out var bad) ? throw new ManifestException(bad.Message)
        : throw new KeyNotFoundException($"No model '{id}' in '{_options.ModelsPath}'.");

    /// <summary>
    /// The session of <paramref name="id"/>, created (and checked against its manifest) on first call. A model that
    /// cannot load throws the same error on every call.
    /// </summary>
    public ModelSession Session(string id)
    {
        var model = Get(id);
        return _sessions.GetOrAdd(id, _ => new Lazy<ModelSession>(() => Create(model))).Value;
    }

    /// <summary>
    /// Opens every session now, so a bad manifest or model is found (and logged) at start rather than on the first
    /// video. Models that fail are listed in <see cref="Unavailable"/>; this does not throw for them. Runs once.
    /// </summary>
    public void WarmUp() => _ = _opened.Value;

    private (IReadOnlyList<LoadedModel>, IReadOnlyList<UnavailableModel>) Open()
    {
        if (LoadError is not null)
        {
            LogNoModels(_logger, LoadError);
        }

        var available = new List<LoadedModel>();
        var unavailable = new List<UnavailableModel>(_badManifests.Values);
        foreach (var model in _models.Values.OrderBy(m => m.Id, StringComparer.Ordinal))
        {
            try
            {
                _ = Session(model.Id);
                available.Add(model);
            }
            catch (Exception ex) when (IsModelFault(ex))
            {
                unavailable.Add(new UnavailableModel(model.Id, ReasonCodes.ModelUnavailable, ex.Message));
            }
        }

        unavailable.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        foreach (var model in unavailable)
        {
            LogUnavailable(_logger, model.Id, model.Message);
        }

        return (available, unavailable);
    }

    /// <summary>
    /// What one model's files or graph can cause when its session opens: a corrupt protobuf (<see cref="OnnxRuntimeException"/>),
    /// a manifest the graph disagrees with, an unreadable file, an operator or provider the runtime cannot load.
    /// </summary>
    private static bool IsModelFault(Exception ex) =>
        ex is OnnxRuntimeException or ManifestException or IOException or UnauthorizedAccessException
            or ArgumentException or InvalidOperationException or NotSupportedException
            or DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or TypeInitializationException;

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

    private SessionOptions BaseOptions() => BaseOptions(_options);

    /// <summary>
    /// CPU session options every model starts from (the bench's bare loop uses the same): full graph optimisation and
    /// no spinning threads; the caller disposes them.
    /// </summary>
    public static SessionOptions BaseOptions(InferenceOptions inference)
    {
        ArgumentNullException.ThrowIfNull(inference);
        var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        // Several sessions share the cores: idle spinning threads would steal them from each other.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        options.AddSessionConfigEntry("session.inter_op.allow_spinning", "0");
        if (inference.IntraOpThreads > 0)
        {
            options.IntraOpNumThreads = inference.IntraOpThreads;
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {ModelId} is unavailable: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string modelId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "No model to serve: {Reason}")]
    private static partial void LogNoModels(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "CUDA unavailable for model {ModelId}, falling back to CPU: {Reason}")]
    private static partial void LogCudaFallback(ILogger logger, Exception exception, string modelId, string reason);
}
