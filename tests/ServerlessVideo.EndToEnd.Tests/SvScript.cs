using System.Collections.Concurrent;
using System.Diagnostics;
using ServerlessVideo.Testing;

namespace ServerlessVideo.EndToEnd.Tests;

/// <summary>
/// The <c>./sv</c> script as a user runs it, in a session of its own (so a signal can go to its whole process group,
/// as a terminal's Ctrl-C does), with its local data in a private folder and the build that is already there.
/// </summary>
public sealed class SvScript : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private SvScript(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output => string.Join('\n', _lines);

    /// <summary>Starts <c>./sv</c> with <paramref name="arguments"/>; <paramref name="environment"/> adds to the inherited one.</summary>
    public static SvScript Start(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        // setsid: the script leads a new process group, which Signal sends to like a terminal would. env
        // --default-signal: a shell starts a foreground job with SIGINT and SIGQUIT at their defaults, but this test
        // run may have been started as a background job, which ignores both, and bash cannot trap a signal that was
        // ignored when it started.
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (var a in (string[])["env", "--default-signal=INT,QUIT", "bash", Path.Combine(RepoPaths.Root, "sv"), .. arguments])
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["SV_NO_BUILD"] = "1";
        start.Environment["SV_CONFIGURATION"] = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new SvScript(Process.Start(start) ?? throw new InvalidOperationException("./sv did not start."));
    }

    /// <summary>Runs <c>./sv</c> to its end; exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] arguments)
    {
        using var sv = Start(environment, arguments);
        await sv.WaitForExitAsync(timeout);
        return (sv.ExitCode, sv.Output);
    }

    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || watch.Elapsed > timeout)
            {
                throw new TimeoutException($"'{text}' not printed within {timeout} (exited: {_process.HasExited}):\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            _process.WaitForExit(); // drains the output readers
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"./sv did not exit within {timeout}:\n{Output}");
        }
    }

    /// <summary>Sends <paramref name="signal"/> (INT, TERM, …) to the script's whole process group, as a terminal does.</summary>
    public void SignalGroup(string signal) => Kill($"-{signal}", "--", $"-{Pid}");

    /// <summary>Whether a process with this id is alive.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void Kill(params string[] arguments)
    {
        var start = new ProcessStartInfo("kill") { UseShellExecute = false };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var kill = Process.Start(start)!;
        kill.WaitForExit();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }

    /// <summary>
    /// Stops the script the way a user would (SIGTERM, so its own clean-up stops Azurite, which runs in a session of
    /// its own and would outlive a SIGKILL of this group), and only then by force.
    /// </summary>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            SignalGroup("TERM");
            if (!_process.WaitForExit(30_000))
            {
                SignalGroup("KILL");
                _process.WaitForExit(10_000);
            }
        }

        _process.Dispose();
    }
}
