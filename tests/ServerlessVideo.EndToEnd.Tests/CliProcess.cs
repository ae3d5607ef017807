using System.Diagnostics;
using ServerlessVideo.Testing;

namespace ServerlessVideo.EndToEnd.Tests;

/// <summary>The <c>sv</c> CLI (src/ServerlessVideo.Cli) run as a process, the way <c>./sv</c> hands over to it.</summary>
public static class CliProcess
{
    /// <summary>The CLI built beside this test run (same configuration).</summary>
    public static string Dll
    {
        get
        {
            var tfm = new DirectoryInfo(AppContext.BaseDirectory);
            var dll = Path.Combine(RepoPaths.Root, "src", "ServerlessVideo.Cli", "bin", tfm.Parent!.Name, tfm.Name, "sv.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the CLI first (./sv setup).", dll);
        }
    }

    /// <summary>Runs <c>sv ARGS</c> with <paramref name="environment"/> added; exit code, stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(
        IReadOnlyDictionary<string, string>? environment, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Dll);
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment.Remove("SV_API");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"sv {string.Join(' ', arguments)} did not finish within {timeout}: {await output}{await error}");
        }

        return (process.ExitCode, await output, await error);
    }
}
