using Microsoft.Extensions.Logging.Abstractions;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Inference;

namespace ServerlessVideo.Host.Cli;

/// <summary>
/// <c>check-models</c>: opens every model's ONNX Runtime session with the configured execution provider, checks it
/// against its manifest and prints the provider it really runs on. Exit 1 when any model is unusable.
/// </summary>
public static class CheckModelsCommand
{
    public static int Run(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        var options = new InferenceOptions();
        configuration.GetSection("Inference").Bind(options);
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        try
        {
            using var registry = new ModelRegistry(options, loggers.CreateLogger<ModelRegistry>());
            foreach (var model in registry.Models)
            {
                var session = registry.Session(model.Id);
                Console.WriteLine($"{model.Id,-24} {model.Manifest.Family,-12} {session.Provider,-22} {model.Labels.Count} labels");
            }

            return 0;
        }
        catch (ManifestException ex)
        {
            Console.Error.WriteLine($"sv: {ex.Message}");
            return 1;
        }
    }
}
