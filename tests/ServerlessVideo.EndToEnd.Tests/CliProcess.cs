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

    /// <summary>Runs <c>sv ARGS</c> with <paramref name="environment"/> added (and no inherited <c>SV_API</c>); exit code, stdout and stderr.</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(
        IReadOnlyDictionary<string, string>? environment, TimeSpan timeout, params string[] arguments)
    {
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["SV_API"] = string.Empty };
        return ProcessRunner.RunSeparatelyAsync("dotnet", [Dll, .. arguments], timeout, env);
    }
}
