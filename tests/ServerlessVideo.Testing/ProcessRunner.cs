using System.Diagnostics;

namespace ServerlessVideo.Testing;

/// <summary>Runs a command to completion with a time limit.</summary>
public static class ProcessRunner
{
    /// <summary>Exit code and stdout followed by stderr.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout, IDictionary<string, string>? env = null, string? workingDirectory = null)
    {
        var (code, output, error) = await RunSeparatelyAsync(file, args, timeout, env, workingDirectory);
        return (code, output + error);
    }

    /// <summary>Exit code, stdout and stderr apart. <paramref name="env"/> adds to (or, with a null value, removes from) the inherited environment.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunSeparatelyAsync(
        string file, IEnumerable<string> args, TimeSpan timeout, IDictionary<string, string>? env = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory };
        var list = args.ToList();
        foreach (var a in list)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            start.Environment[k] = v;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', list)} did not finish within {timeout}: {await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
