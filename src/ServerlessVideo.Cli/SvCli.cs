using System.CommandLine;
using ServerlessVideo.Cli.Commands;
using ServerlessVideo.Cli.Commands.Bench;

namespace ServerlessVideo.Cli;

/// <summary>
/// The <c>sv</c> commands users type (<c>./sv</c> sets the machine up and hands over to these). Settings come from
/// environment variables (<c>Pipeline__StorageConnectionString</c>, <c>Inference__ModelsPath</c> …) as in any .NET
/// host; <c>serve</c> and <c>demo</c> also take them as <c>--Section:Key=value</c>.
/// </summary>
public static class SvCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("ServerlessVideo: classify videos on a durable pipeline (Azurite locally, Azure Storage in the cloud).");
        foreach (var command in (Command[])
            [
                DemoCommand.Create(), ServeCommand.Create(), SubmitCommand.Create(), StatusCommand.Create(), ListCommand.Create(),
                CheckModelsCommand.Create(), ModelsCommand.Create(), FlowCommand.Create(), WriteBaselineCommand.Create(), BenchCommand.Create(),
            ])
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    /// <summary>Parses and runs; input errors print one line and return 2, parse errors print help and return 1.</summary>
    public static async Task<int> InvokeAsync(string[] args)
    {
        var parse = Build().Parse(args);
        // Signals are left to each command: serve's host stops gracefully on its own, the others end at once.
        var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        try
        {
            return await parse.InvokeAsync(configuration);
        }
        catch (CliException ex)
        {
            await configuration.Error.WriteLineAsync($"sv: {ex.Message}");
            return 2;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug or an unexpected failure: one line a person can read, the detail with SV_DEBUG=1.
            var detail = Environment.GetEnvironmentVariable("SV_DEBUG") == "1" ? ex.ToString() : $"{ex.GetType().Name}: {ex.Message} (SV_DEBUG=1 shows where)";
            await configuration.Error.WriteLineAsync($"sv: unexpected error: {detail}");
            return 1;
        }
    }
}
