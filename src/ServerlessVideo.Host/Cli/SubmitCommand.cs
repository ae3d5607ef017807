using Azure.Storage.Blobs;
using ServerlessVideo.Core;

namespace ServerlessVideo.Host.Cli;

/// <summary><c>submit</c>: uploads files to the videos container and prints the id each upload will have.</summary>
public static class SubmitCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var files = args.Where(a => !a.StartsWith('-')).ToList();
        if (files.Count == 0)
        {
            throw new CliException("submit needs at least one file");
        }

        var connection = Environment.GetEnvironmentVariable("Pipeline__StorageConnectionString")
            ?? throw new CliException("Pipeline__StorageConnectionString is not set (./sv sets it for Azurite)");
        var containerName = Environment.GetEnvironmentVariable("Pipeline__VideosContainer") ?? "videos";
        var api = CliCommands.Option(args, "--api", HostComposition.DefaultUrl);
        var container = new BlobContainerClient(connection, containerName);
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
            var id = VideoIds.FromBlob(containerName, name, uploaded.Value.ETag.ToString());
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
