using System.Runtime.InteropServices;
using ServerlessVideo.Onnx;

namespace ServerlessVideo.Host.Cli;

/// <summary>
/// <c>sv-host</c> commands. Settings come from environment variables (<c>Pipeline__StorageConnectionString</c>) or
/// <c>--Section:Key=value</c> arguments, as in any .NET host.
/// </summary>
public static class CliCommands
{
    public const string Usage = """
        usage: sv-host <command> [options]

          serve                      run the local host: durable worker, blob watcher, HTTP API (--urls, default http://127.0.0.1:7071)
          demo                       run the host in-process, classify generated sample videos, print labels
          submit <file>... [--wait]  upload videos to the 'videos' container; print each video id and URL
          status <id>                show one video (needs a running host; --api URL)
          list [--limit N]           list videos (needs a running host; --api URL)
          flow <video> [--algorithm tvl1|farneback] [--size N] [--fps F] [--pairs N] [--start S] [--bound B] [--out DIR]
                                     write colour-wheel PNGs of the optical flow the pipeline computes
          check-models               load every model with the configured provider; print the provider each runs on, or why it
                                     cannot load (exit 1 if any cannot)
          write-baseline <dir>       write the built-in colour-mean baseline model into <dir>

        settings: Pipeline__StorageConnectionString (required), Inference__ModelsPath, Inference__ExecutionProvider (cpu|cuda),
                  Media__MaxBytes, Media__MaxDurationSeconds, Host__TaskHub; or the same as --Pipeline:StorageConnectionString=...
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        var rest = args[1..];
        try
        {
            return args[0] switch
            {
                "serve" => await ServeAsync(rest),
                "demo" => await DemoCommand.RunAsync(rest),
                "submit" => await SubmitCommand.RunAsync(rest),
                "status" => await ApiCommands.StatusAsync(rest),
                "list" => await ApiCommands.ListAsync(rest),
                "check-models" => CheckModelsCommand.Run(rest),
                "flow" => await FlowCommand.RunAsync(rest),
                "write-baseline" => WriteBaseline(rest),
                _ => Unknown(args[0]),
            };
        }
        catch (CliException ex)
        {
            await Console.Error.WriteLineAsync($"sv: {ex.Message}");
            return 2;
        }
    }

    /// <summary>The running host's API: <c>SV_API</c> (which <c>./sv</c> sets from the URL its host listens on), else the default.</summary>
    internal static string DefaultApi =>
        Environment.GetEnvironmentVariable("SV_API") is { Length: > 0 } api ? api.TrimEnd('/') : HostComposition.DefaultUrl;

    private static async Task<int> ServeAsync(string[] args)
    {
        await using var app = HostComposition.Build(args);
        HostComposition.WarmUp(app);
        // The first SIGINT/SIGTERM stops gracefully (the generic host's own handling); a second one ends the process.
        var signals = 0;
        void Force(PosixSignalContext context)
        {
            if (Interlocked.Increment(ref signals) > 1)
            {
                Console.Error.WriteLine("sv-host: second signal, exiting now");
                Environment.Exit(130);
            }
        }

        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Force);
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Force);
        await app.StartAsync();
        Console.WriteLine($"sv-host: listening on {string.Join(", ", app.Urls)}");
        await app.WaitForShutdownAsync();
        return 0;
    }

    private static int WriteBaseline(string[] args)
    {
        if (args.Length != 1)
        {
            throw new CliException("write-baseline needs one folder, e.g. models/colour-mean");
        }

        ColourMeanModel.WriteTo(args[0]);
        Console.WriteLine($"wrote {ColourMeanModel.Id} to {args[0]}");
        return 0;
    }

    private static int Unknown(string command)
    {
        Console.Error.WriteLine($"sv: unknown command '{command}'\n\n{Usage}");
        return 2;
    }

    /// <summary>The value after <paramref name="name"/> in <paramref name="args"/>, or <paramref name="fallback"/>.</summary>
    internal static string Option(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
