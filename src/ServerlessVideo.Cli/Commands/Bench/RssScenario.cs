using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using ServerlessVideo.Core;

namespace ServerlessVideo.Cli.Commands.Bench;

/// <summary>
/// <c>rss</c>: peak resident memory (VmHWM) of a fresh worker host (<c>sv serve</c> in a child process, on its own
/// loopback port, task hub, containers and tables in the same Azurite) that processes one short 720p video, against
/// one that processes a long one. Memory that grows with the video's length shows up as the ratio. The ffmpeg
/// processes the worker starts are separate processes and not in its VmHWM.
/// </summary>
internal static class RssScenario
{
    public const string Name = "rss";

    private sealed record Measurement(long? IdleRss, long? IdlePeak, long? Peak, double Seconds, string? Status);

    public static async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var longSeconds = context.Quick ? 60 : 600;
        context.Phase($"{Name}: encoding 720p30 testsrc2 videos of 10 s and {longSeconds} s (cached; not timed) …");
        var shortFile = await BenchVideos.TestSourceAsync(context.MediaFolder, 1280, 720, 10, heavy: false, cancellationToken);
        var longFile = await BenchVideos.TestSourceAsync(context.MediaFolder, 1280, 720, longSeconds, heavy: false, cancellationToken);
        if (context.Quick)
        {
            context.Report.Note($"rss: --quick compares 10 s with {longSeconds} s instead of 10 min.");
        }

        var shortRun = await MeasureAsync(context, shortFile, "s", cancellationToken);
        var longRun = await MeasureAsync(context, longFile, "l", cancellationToken);
        var label = longSeconds >= 60 ? $"{longSeconds / 60} min" : $"{longSeconds} s";
        context.Report.Row(Name, $"peak RSS of a fresh worker: 720p {label} vs 10 s", BenchReport.Mib(longRun.Peak), BenchReport.Mib(shortRun.Peak),
            BenchStats.Ratio(longRun.Peak, shortRun.Peak));
        context.Report.Row(Name, "  RSS after start-up (models loaded), before the upload", BenchReport.Mib(longRun.IdleRss), BenchReport.Mib(shortRun.IdleRss), null);

        var json = context.Report.Scenario(Name);
        json["short"] = Json(shortRun, 10, shortFile);
        json["long"] = Json(longRun, longSeconds, longFile);
        json["ratio"] = BenchReport.Round(BenchStats.Ratio(longRun.Peak, shortRun.Peak));
    }

    private static JsonObject Json(Measurement m, int seconds, string file) => new()
    {
        ["videoSeconds"] = seconds,
        ["bytes"] = new FileInfo(file).Length,
        ["status"] = m.Status,
        ["peakRssBytes"] = m.Peak,
        ["idleRssBytes"] = m.IdleRss,
        ["idlePeakRssBytes"] = m.IdlePeak,
        ["uploadToFinalSeconds"] = BenchReport.Round(m.Seconds),
    };

    private static async Task<Measurement> MeasureAsync(BenchContext context, string file, string tag, CancellationToken cancellationToken)
    {
        // Task hubs and tables take letters and digits only; containers lowercase, digits and hyphens.
        var hub = $"{context.RunId}rss{tag}";
        var container = $"{hub}-videos";
        var url = $"http://127.0.0.1:{BenchHost.FreePort().ToString(CultureInfo.InvariantCulture)}";
        var log = Path.Combine(context.ScratchFolder, $"{hub}.log");
        var start = ChildStart(["serve", "--urls", url]);
        start.Environment["Host__TaskHub"] = hub;
        start.Environment["Host__ClaimsTable"] = hub + "claims";
        start.Environment["Pipeline__VideosContainer"] = container;
        start.Environment["Pipeline__ArtifactsContainer"] = $"{hub}-artifacts";
        start.Environment["Pipeline__VideosTable"] = hub + "videos";
        start.Environment["Pipeline__ModelResultsTable"] = hub + "models";
        // Its own slots too: the worker is stopped as soon as its video is final, possibly before it hands its slot on.
        start.Environment["Pipeline__AdmissionTable"] = hub + "admission";
        start.Environment["Pipeline__WorkFolder"] = Path.Combine(context.ScratchFolder, hub);
        start.Environment["Logging__LogLevel__Default"] = "Warning";

        context.Phase($"{Name}: starting a fresh worker (sv serve --urls {url}) for {Path.GetFileName(file)} …");
        using var child = Process.Start(start) ?? throw new CliException("could not start the worker process");
        await using var logFile = File.Create(log);
        await using var errorFile = File.Create(log + ".err");
        var drain = Task.WhenAll(
            child.StandardOutput.BaseStream.CopyToAsync(logFile, CancellationToken.None),
            child.StandardError.BaseStream.CopyToAsync(errorFile, CancellationToken.None));
        try
        {
            using var api = new ApiClient(new Uri(url));
            await WaitHealthyAsync(api, child, log, cancellationToken);
            var idleRss = CpuTimes.RssBytes(child.Id);
            var idlePeak = CpuTimes.PeakRssBytes(child.Id);
            context.Phase($"{Name}:   worker ready, RSS {BenchReport.Mib(idleRss)}; uploading and waiting until final …");

            var watch = Stopwatch.StartNew();
            var videos = new BlobContainerClient(context.Host.Pipeline.StorageConnectionString, container);
            await videos.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            var name = Path.GetFileName(file);
            var uploaded = await videos.GetBlobClient(name).UploadAsync(file, overwrite: true, cancellationToken);
            var id = VideoIds.FromBlob(container, name, uploaded.Value.ETag.ToString());
            string? status = null;
            while (status is not ("Completed" or "Failed"))
            {
                if (child.HasExited)
                {
                    throw new CliException($"the worker exited ({child.ExitCode}) before the video was final; log: {log}");
                }

                if (watch.Elapsed > TimeSpan.FromMinutes(30))
                {
                    throw new CliException($"{name} not final after 30 min in the worker; log: {log}");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
                var (code, node) = await api.GetAsync($"/api/videos/{id}", cancellationToken);
                status = code == 200 ? node?["status"]?.GetValue<string>() : null;
            }

            var seconds = watch.Elapsed.TotalSeconds;
            var peak = CpuTimes.PeakRssBytes(child.Id);
            context.Phase(string.Create(CultureInfo.InvariantCulture, $"{Name}:   {status} in {seconds:0.0} s; peak RSS {BenchReport.Mib(peak)}"));
            return new Measurement(idleRss, idlePeak, peak, seconds, status);
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
            }

            await child.WaitForExitAsync(CancellationToken.None);
            await drain;
            await BenchCleanup.DeletePrefixAsync(context.Host.Pipeline.StorageConnectionString, hub);
        }
    }

    /// <summary>This CLI again, as <c>dotnet sv.dll ARGS</c> (or its own executable), with its output redirected.</summary>
    private static ProcessStartInfo ChildStart(IEnumerable<string> arguments)
    {
        var self = Environment.ProcessPath ?? "dotnet";
        var viaDotnet = Path.GetFileNameWithoutExtension(self) == "dotnet";
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (viaDotnet)
        {
            start.ArgumentList.Add(typeof(RssScenario).Assembly.Location);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static async Task WaitHealthyAsync(ApiClient api, Process child, string log, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (child.HasExited)
            {
                throw new CliException($"the worker exited ({child.ExitCode}) during start-up; log: {log}(.err)");
            }

            if (watch.Elapsed > TimeSpan.FromMinutes(3))
            {
                throw new CliException($"the worker did not answer /api/health within 3 min; log: {log}(.err)");
            }

            try
            {
                if ((await api.GetAsync("/api/health", cancellationToken)).Status == 200)
                {
                    return;
                }
            }
            catch (CliException)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }
}
