using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using ServerlessVideo.Core;
using ServerlessVideo.Host;
using ServerlessVideo.Media.SynthMotion;
using ServerlessVideo.Pipeline;

namespace ServerlessVideo.Cli.Commands;

/// <summary>
/// <c>demo</c>: runs the whole host in-process, encodes one SynthMotion video per class (H.264 and VP9, several sizes
/// and frame rates) and one file of random bytes, uploads them, follows their progress over the HTTP API and prints
/// each video's true class beside every model's label.
/// </summary>
public static class DemoCommand
{
    private sealed record Sample(string File, SynthMotionScene? Scene, int Width, int Height, double Fps, string Container, string Expected);

    private static readonly (int W, int H, double Fps, string Container)[] Formats =
        [(320, 240, 25, "mp4"), (256, 256, 30, "webm"), (426, 240, 24, "mp4"), (240, 320, 30, "mp4")];

    private static List<Sample> Samples()
    {
        var samples = SynthMotionClasses.Labels.Select((label, i) =>
        {
            var f = Formats[i % Formats.Length];
            var scene = new SynthMotionScene(SynthMotionSeeds.Of(SynthMotionSplit.Fresh, 900_000 + i), i);
            return new Sample($"demo-{label}.{f.Container}", scene, f.W, f.H, f.Fps, f.Container, label);
        }).ToList();
        samples.Add(new Sample("demo-not-a-video.mp4", null, 0, 0, 0, "mp4", ReasonCodes.Unreadable));
        return samples;
    }

    public static Command Create()
    {
        // Settings pass through to the host as --Section:Key=value.
        var command = new Command("demo", "run the host in-process, classify one generated video per SynthMotion class, print every model's labels")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction((parse, ct) => RunAsync([.. parse.UnmatchedTokens], parse.InvocationConfiguration.Output, ct));
        return command;
    }

    private static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var total = System.Diagnostics.Stopwatch.StartNew();
        // The demo prints its own report; the host's logs stay at warnings.
        await using var app = HostComposition.Build([.. args, "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:DurableTask.AzureStorage=Error"]);
        var pipeline = app.Services.GetRequiredService<IOptions<PipelineOptions>>().Value;
        HostComposition.WarmUp(app);
        await app.StartAsync(cancellationToken);
        var api = app.Urls.First();

        var samples = Samples();
        var folder = Path.Combine(pipeline.WorkFolder, "demo");
        Directory.CreateDirectory(folder);
        output.WriteLine($"Encoding {samples.Count} sample files (SynthMotion, one per class) in {folder} …");
        await Parallel.ForEachAsync(samples, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (s, ct) =>
        {
            var path = Path.Combine(folder, s.File);
            if (s.Scene is null)
            {
                var junk = new byte[64 * 1024];
                new Random(7).NextBytes(junk);
                await File.WriteAllBytesAsync(path, junk, ct);
            }
            else
            {
                await SynthMotionVideoWriter.WriteAsync(s.Scene, path, s.Width, s.Height, s.Fps, s.Container, ct);
            }
        });

        var container = new BlobContainerClient(pipeline.StorageConnectionString, pipeline.VideosContainer);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var ids = new List<string>();
        foreach (var s in samples)
        {
            var uploaded = await container.GetBlobClient(s.File).UploadAsync(Path.Combine(folder, s.File), overwrite: true, cancellationToken);
            ids.Add(VideoIds.FromBlob(pipeline.VideosContainer, s.File, uploaded.Value.ETag.ToString()));
        }

        output.WriteLine($"Uploaded to container '{pipeline.VideosContainer}'; following progress at {api}/api/videos …");
        using var client = new ApiClient(new Uri(api));
        var results = await ProgressWatcher.PollAsync(client, ids, TimeSpan.FromMinutes(20), output, cancellationToken);
        var correct = new Dictionary<string, int>(StringComparer.Ordinal);
        var allFinished = true;

        output.WriteLine();
        output.WriteLine($"{"true class",-16} {"consensus",-22} {"models right",-13} wrong (model: its label)");
        for (var i = 0; i < samples.Count; i++)
        {
            var video = results[ids[i]];
            var models = video["models"]?.AsArray().Select(m => m!).ToList() ?? [];
            foreach (var m in models)
            {
                var id = m["id"]!.GetValue<string>();
                correct[id] = correct.GetValueOrDefault(id) + (Top(m) == samples[i].Expected ? 1 : 0);
            }

            var wrong = models.Where(m => Top(m) != samples[i].Expected).Select(m => $"{m["id"]}: {Top(m)}").ToList();
            var right = models.Count == 0 ? string.Empty : $"{models.Count - wrong.Count}/{models.Count}";
            var consensus = video["status"]!.GetValue<string>() == "Completed"
                ? string.Create(CultureInfo.InvariantCulture, $"{video["labels"]![0]!["label"]} {video["labels"]![0]!["confidence"]!.GetValue<double>():0.00}")
                : $"{video["reasonCode"]}";
            allFinished &= video["status"]!.GetValue<string>() == "Completed" || samples[i].Scene is null;
            output.WriteLine($"{samples[i].Expected,-16} {consensus,-22} {right,-13} {string.Join("  ", wrong)}");
            output.WriteLine($"{string.Empty,-16} {api}/api/videos/{ids[i]}");
        }

        output.WriteLine();
        var videos = samples.Count(s => s.Scene is not null);
        foreach (var (model, count) in correct.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{model,-38} {count}/{videos} right");
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Demo finished in {total.Elapsed.TotalSeconds:0.0} s. `./sv serve` serves these URLs again; `./sv status <id>` prints one."));
        await app.StopAsync(CancellationToken.None);
        return allFinished && results[ids[^1]]["reasonCode"]?.GetValue<string>() == ReasonCodes.Unreadable ? 0 : 1;
    }

    private static string Top(JsonNode model) => model["labels"]![0]!["label"]!.GetValue<string>();
}
