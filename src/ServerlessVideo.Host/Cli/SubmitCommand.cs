using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessVideo.Pipeline;
using ServerlessVideo.Pipeline.Orchestration;
using ServerlessVideo.Pipeline.Storage;

namespace ServerlessVideo.Host.Cli;

/// <summary>
/// <c>submit</c>: uploads files to the videos container, records each as Queued (so its id answers at once, and ends
/// <c>NOT_FOUND</c> rather than unknown if the blob is replaced before the host sees it) and prints the ids.
/// </summary>
public static class SubmitCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var files = args.Where(a => !a.StartsWith('-')).ToList();
        if (files.Count == 0)
        {
            throw new CliException("submit needs at least one file");
        }

        var pipeline = new PipelineOptions();
        new ConfigurationBuilder().AddEnvironmentVariables().Build().GetSection(PipelineOptions.Section).Bind(pipeline);
        if (string.IsNullOrWhiteSpace(pipeline.StorageConnectionString))
        {
            throw new CliException("Pipeline__StorageConnectionString is not set (./sv sets it for Azurite)");
        }

        var containerName = pipeline.VideosContainer;
        var api = CliCommands.Option(args, "--api", CliCommands.DefaultApi);
        var storage = new StorageClients(Microsoft.Extensions.Options.Options.Create(pipeline));
        var starter = new VideoStarter(new ResultStore(storage), storage, NullLogger<VideoStarter>.Instance);
        var container = storage.Videos;
        await container.CreateIfNotExistsAsync();
        var ids = new List<string>();
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                throw new CliException($"no such file: {file}");
            }

            var name = Path.GetFileName(file);
            var uploaded = await container.GetBlobClient(name).UploadAsync(file, overwrite: true);
            var id = await starter.RecordSubmittedAsync(containerName, name, uploaded.Value.ETag.ToString(), DateTimeOffset.UtcNow, CancellationToken.None);
            ids.Add(id);
            Console.WriteLine($"{id}  {name}  {api}/api/videos/{id}");
        }

        if (args.Contains("--wait"))
        {
            return await ProgressWatcher.WaitAsync(api, ids, TimeSpan.FromMinutes(30), Console.Out);
        }

        return 0;
    }
}
