using Microsoft.Extensions.Logging.Console;
using ServerlessVideo.Inference;

namespace ServerlessVideo.Host;

/// <summary>
/// <c>check-models</c> (of <c>sv</c> and of the worker host, so an operator can run it inside the GPU image): opens every model's ONNX Runtime session with the configured execution provider, checks it
/// against its manifest and prints one line per model: the provider it really runs on, or <c>MODEL_UNAVAILABLE</c> and
/// why it cannot load. Exit 0 when every model loads, 1 when any cannot (or there is none); the good ones are listed
/// either way.
/// </summary>
public static class ModelCheck
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        var options = new InferenceOptions();
        configuration.GetSection("Inference").Bind(options);
        // Logs (the CUDA fallback warning, each unavailable model) go to stderr; the table goes to stdout.
        using var loggers = LoggerFactory.Create(b => b
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddFilter<ConsoleLoggerProvider>(level => level >= LogLevel.Warning)
            .Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        using var registry = new ModelRegistry(options, loggers.CreateLogger<ModelRegistry>());
        registry.WarmUp();
        if (registry.LoadError is { } loadError)
        {
            error.WriteLine($"sv: {loadError}");
            return 1;
        }

        var lines = registry.Available
            .Select(m => (m.Id, Line: $"{m.Id,-36} {m.Manifest.Family,-12} {registry.Session(m.Id).Provider,-22} {m.Labels.Count} labels in {m.LabelSpace}"))
            .Concat(registry.Unavailable.Select(u => (u.Id, Line: $"{u.Id,-36} {"-",-12} {u.ReasonCode,-22} {u.Message}")))
            .OrderBy(l => l.Id, StringComparer.Ordinal);
        foreach (var (_, line) in lines)
        {
            output.WriteLine(line);
        }

        if (registry.Unavailable.Count > 0)
        {
            error.WriteLine($"sv: {registry.Unavailable.Count} of {registry.Available.Count + registry.Unavailable.Count} models cannot load: {string.Join(", ", registry.Unavailable.Select(u => u.Id))}");
            return 1;
        }

        return 0;
    }
}
