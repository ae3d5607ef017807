using System.Globalization;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using ServerlessVideo.Core;
using ServerlessVideo.Media;
using ServerlessVideo.Pipeline;

namespace ServerlessVideo.Host.Cli;

/// <summary>
/// <c>demo</c>: runs the whole host in-process, encodes a few sample videos (different codecs, sizes and rates) and
/// one file of random bytes, uploads them, follows their progress over the HTTP API and prints each video's labels.
/// </summary>
public static class DemoCommand
{
    private sealed record Sample(string File, SampleVideo? Video, string Expected);

    private static readonly Sample[] Samples =
    [
        new("demo-red-720p.mp4", new SampleVideo("red", 1280, 720, 25, 8), "red"),
        new("demo-green-360p.webm", new SampleVideo("green", 640, 360, 30, 6, "webm"), "green"),
        new("demo-blue-1080p.mp4", new SampleVideo("blue", 1920, 1080, 24, 10), "blue"),
        new("demo-not-a-video.mp4", null, ReasonCodes.Unreadable),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var total = System.Diagnostics.Stopwatch.StartNew();
        await using var app = HostComposition.Build(args);
        var pipeline = app.Services.GetRequiredService<IOptions<PipelineOptions>>().Value;
        HostComposition.WarmUp(app);
        await app.StartAsync();
        var api = app.Urls.First();

        var folder = Path.Combine(pipeline.WorkFolder, "demo");
        Directory.CreateDirectory(folder);
        Console.WriteLine($"Encoding {Samples.Length} sample files in {folder} …");
        foreach (var s in Samples)
        {
            var path = Path.Combine(folder, s.File);
            if (s.Video is null)
            {
                var junk = new byte[64 * 1024];
                new Random(7).NextBytes(junk);
                await File.WriteAllBytesAsync(path, junk);
            }
            else
            {
                await SampleVideoWriter.WriteAsync(s.Video, path, CancellationToken.None);
            }
        }

        var container = new BlobContainerClient(pipeline.StorageConnectionString, pipeline.VideosContainer);
        await container.CreateIfNotExistsAsync();
        var ids = new List<string>();
        foreach (var s in Samples)
        {
            var uploaded = await container.GetBlobClient(s.File).UploadAsync(Path.Combine(folder, s.File), overwrite: true);
            ids.Add(VideoIds.FromBlob(pipeline.VideosContainer, s.File, uploaded.Value.ETag.ToString()));
        }

        Console.WriteLine($"Uploaded to container '{pipeline.VideosContainer}'; following progress at {api}/api/videos …");
        var results = await ProgressWatcher.PollAsync(api, ids, TimeSpan.FromMinutes(20), Console.Out);

        Console.WriteLine();
        Console.WriteLine($"{"file",-24} {"expected",-16} result");
        var allAsExpected = true;
        for (var i = 0; i < Samples.Length; i++)
        {
            var video = results[ids[i]];
            var got = Outcome(video);
            var ok = got == Samples[i].Expected;
            allAsExpected &= ok;
            Console.WriteLine($"{Samples[i].File,-24} {Samples[i].Expected,-16} {ProgressWatcher.Summary(video)}{(ok ? string.Empty : "   <-- unexpected")}");
            foreach (var model in video["models"]?.AsArray() ?? [])
            {
                var top = model!["labels"]![0]!;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{string.Empty,-24}   {model["id"],-14} {top["label"]} {top["confidence"]!.GetValue<double>():0.000}  ({model["clips"]} clips, {model["inferenceMs"]} ms)"));
            }

            Console.WriteLine($"{string.Empty,-24}   {api}/api/videos/{ids[i]}");
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Demo finished in {total.Elapsed.TotalSeconds:0.0} s. `./sv serve` serves these URLs again; `./sv status <id>` prints one."));
        await app.StopAsync();
        return allAsExpected ? 0 : 1;
    }

    private static string Outcome(JsonNode video) =>
        video["status"]!.GetValue<string>() == "Completed"
            ? video["labels"]![0]!["label"]!.GetValue<string>()
            : video["reasonCode"]?.GetValue<string>() ?? "Failed";
}
