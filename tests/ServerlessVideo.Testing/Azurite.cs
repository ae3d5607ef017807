using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ServerlessVideo.Testing;

/// <summary>
/// The Azurite every storage test talks to. <c>./sv test</c> starts one for the whole run and passes its connection
/// string in <c>SV_TEST_STORAGE</c>; without it (a plain <c>dotnet test</c>) this starts a private one on free
/// loopback ports, with telemetry off, and stops it when the test process exits.
/// </summary>
public static class Azurite
{
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly Lazy<string> Shared = new(StartOrReuse, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string ConnectionString => Shared.Value;

    private static string StartOrReuse()
    {
        var fromEnv = Environment.GetEnvironmentVariable("SV_TEST_STORAGE");
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return fromEnv;
        }

        var ports = new[] { FreePort(), FreePort(), FreePort() };
        var data = Directory.CreateTempSubdirectory("sv-azurite-").FullName;
        var process = StartProcess(ports, data);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                process.Kill(entireProcessTree: true);
                Directory.Delete(data, recursive: true);
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException)
            {
                // Already gone.
            }
        };
        foreach (var port in ports)
        {
            WaitForPort(port, TimeSpan.FromSeconds(30));
        }

        return ConnectionStringFor(ports[0], ports[1], ports[2]);
    }

    /// <summary>
    /// Starts Azurite on 127.0.0.1 with the given blob, queue and table ports and data folder, telemetry off. The
    /// caller owns the process; <see cref="WaitForPort"/> tells when it listens.
    /// </summary>
    public static Process StartProcess(IReadOnlyList<int> ports, string data, Action<string>? output = null)
    {
        ArgumentNullException.ThrowIfNull(ports);
        if (!File.Exists(RepoPaths.AzuriteBin))
        {
            throw new InvalidOperationException($"Azurite is not installed at {RepoPaths.AzuriteBin}: run ./sv setup (or ./sv test).");
        }

        var start = new ProcessStartInfo(RepoPaths.AzuriteBin)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
        {
            "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", ports[0].ToString(), "--queuePort", ports[1].ToString(), "--tablePort", ports[2].ToString(),
            "--location", data,
        })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output?.Invoke(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output?.Invoke(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static string ConnectionStringFor(int blob, int queue, int table) =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + Key +
        $";BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static void WaitForPort(int port, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (watch.Elapsed < timeout)
            {
                Thread.Sleep(100);
            }
        }
    }
}
