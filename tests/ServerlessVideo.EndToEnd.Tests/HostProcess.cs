using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ServerlessVideo.Testing;

namespace ServerlessVideo.EndToEnd.Tests;

/// <summary>
/// <c>sv-host serve</c> as a child process on a free loopback port, configured through environment variables the
/// way <c>./sv serve</c> does. <see cref="Kill"/> is SIGKILL: no graceful shutdown, leases and messages left behind.
/// </summary>
public sealed class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    public HostProcess(IReadOnlyDictionary<string, string> settings)
    {
        Port = Azurite.FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(HostDll);
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(BaseUrl);
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        // Each worker its own local folder, as separate machines would have.
        if (settings.TryGetValue("Pipeline__WorkFolder", out var work))
        {
            start.Environment["Pipeline__WorkFolder"] = Path.Combine(work, $"host-{Port}");
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("sv-host did not start.");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(20) };
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public HttpClient Http { get; }

    /// <summary>The host's last lines of output, for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>The host built beside this test run (same configuration).</summary>
    public static string HostDll
    {
        get
        {
            // tests/<project>/bin/<Configuration>/net10.0/ → src/ServerlessVideo.Host/bin/<Configuration>/net10.0/sv-host.dll
            var tfm = new DirectoryInfo(AppContext.BaseDirectory);
            var configuration = tfm.Parent!.Name;
            var dll = Path.Combine(RepoPaths.Root, "src", "ServerlessVideo.Host", "bin", configuration, tfm.Name, "sv-host.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the host first (./sv setup).", dll);
        }
    }

    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"sv-host exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await Http.GetAsync(new Uri("/api/health", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"sv-host not ready after {timeout}:\n{Output}");
    }

    /// <summary>GET a path; the status code and the parsed body.</summary>
    public async Task<(int Status, JsonNode? Body)> GetAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, string.IsNullOrEmpty(body) ? null : JsonNode.Parse(body));
    }

    /// <summary>Polls a video until <paramref name="until"/> holds for its JSON.</summary>
    public async Task<JsonNode> WaitForAsync(string id, Func<JsonNode, bool> until, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        JsonNode? last = null;
        while (watch.Elapsed < timeout)
        {
            var (status, body) = await GetAsync($"/api/videos/{id}");
            if (status == 200 && body is not null)
            {
                last = body;
                if (until(body))
                {
                    return body;
                }
            }

            await Task.Delay(150);
        }

        throw new TimeoutException($"Video {id} did not reach the expected state in {timeout}; last: {last?.ToJsonString()}\n{Output}");
    }

    public static bool IsFinal(JsonNode video) => video["status"]?.GetValue<string>() is "Completed" or "Failed";

    /// <summary>Sends a signal (<c>INT</c>, <c>TERM</c>) as a terminal or service manager would, and returns how long the process took to exit (null: still running after <paramref name="wait"/>).</summary>
    public async Task<TimeSpan?> StopWithAsync(string signal, TimeSpan wait)
    {
        var watch = Stopwatch.StartNew();
        using (var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])))
        {
            await kill!.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(wait);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return watch.Elapsed;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>SIGKILL, as a crashed or evicted worker.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 200)
        {
            _output.TryDequeue(out _);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        Http.Dispose();
        _process.Dispose();
    }
}
