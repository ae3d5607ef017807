using System.Diagnostics;

namespace ServerlessVideo.Testing;

/// <summary>
/// A private Azurite a test can stop and start again on the same ports and data folder, to play a storage outage
/// against processes that keep their connection string. <see cref="StopAsync"/> sends SIGTERM so Azurite saves its
/// in-memory metadata (queues and tables autosave only every few seconds) before it exits, as a restarted service would.
/// </summary>
public sealed class RestartableAzurite : IDisposable
{
    private readonly int[] _ports = [Azurite.FreePort(), Azurite.FreePort(), Azurite.FreePort()];
    private readonly string _data = Directory.CreateTempSubdirectory("sv-azurite-outage-").FullName;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();
    private Process? _process;

    public RestartableAzurite() => Start();

    public string ConnectionString => Azurite.ConnectionStringFor(_ports[0], _ports[1], _ports[2]);

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>What Azurite printed (it runs with --silent: start-up and shutdown lines), and how each stop went.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Starts Azurite (again) and waits until all three services listen.</summary>
    public void Start()
    {
        if (IsRunning)
        {
            return;
        }

        _process?.Dispose();
        _process = Azurite.StartProcess(_ports, _data, _output.Enqueue);
        foreach (var port in _ports)
        {
            Azurite.WaitForPort(port, TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>SIGTERM, then SIGKILL if Azurite has not exited within <paramref name="grace"/> (default 10 s).</summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])))
        {
            await kill!.WaitForExitAsync();
        }

        var watch = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            _output.Enqueue($"[test] Azurite exited {watch.ElapsedMilliseconds} ms after SIGTERM");
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            _output.Enqueue($"[test] Azurite killed: still running {watch.ElapsedMilliseconds} ms after SIGTERM");
        }
    }

    public void Dispose()
    {
        try
        {
            if (_process is { HasExited: false })
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }

            _process?.Dispose();
            Directory.Delete(_data, recursive: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException)
        {
            // Already gone, or a file still held: the OS temp cleaner gets it.
        }
    }
}
