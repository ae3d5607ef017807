using System.CommandLine;
using ServerlessVideo.Host;

namespace ServerlessVideo.Cli.Commands;

/// <summary><c>serve</c>: the worker host in this process (the same as <c>sv-host serve</c>), until Ctrl-C or SIGTERM.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            Description = "where the HTTP API listens (loopback unless you say otherwise)",
            DefaultValueFactory = _ => HostComposition.DefaultUrl,
            HelpName = "URL",
        };
        // Settings pass through to the host as --Section:Key=value.
        var command = new Command("serve", "run the durable worker, blob watcher and HTTP API (storage: Pipeline__StorageConnectionString)")
        {
            urls,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, _) =>
            HostRunner.ServeAsync(["--urls", parse.GetValue(urls)!, .. parse.UnmatchedTokens], parse.InvocationConfiguration.Output));
        return command;
    }
}
