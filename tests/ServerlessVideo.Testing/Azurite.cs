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

    private static readonly HashSet<int> Handed = [];

    /// <summary>
    /// A loopback port free now, below the kernel's ephemeral range: a port the OS picks for "any free port" comes from
    /// that range, where an outgoing connection of another process (under load there are many) can take it before the
    /// server it is meant for binds it. Never the same port twice in one test process.
    /// </summary>
    public static int FreePort()
    {
        var low = EphemeralLow();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(Math.Max(1025, low - 12000), low);
            lock (Handed)
            {
                if (!Handed.Add(port))
                {
                    continue;
                }
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException($"no free loopback port below {low}");
    }

    /// <summary>The first port of the kernel's ephemeral range (32768 when it cannot be read).</summary>
    private static int EphemeralLow()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32768;
        }
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
