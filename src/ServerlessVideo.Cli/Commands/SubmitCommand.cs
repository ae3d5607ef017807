using System.CommandLine;
using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Pipeline;
using ServerlessVideo.Pipeline.Orchestration;
using ServerlessVideo.Pipeline.Storage;

namespace ServerlessVideo.Cli.Commands;

/// <summary>
/// <c>submit PATH…</c>: checks the whole batch before uploading anything (every file exists; a folder contributes the
/// videos in it; no two files would land on the same blob name), then uploads each file under its own name, records it
/// as Queued and prints its id. A blob of the same name holding the same bytes is not uploaded again (same version,
/// same id); one holding other bytes is refused unless <c>--overwrite</c> (a new version gets a new id).
/// </summary>
public static class SubmitCommand
{
    /// <summary>File name extensions a folder's videos are recognised by.</summary>
    public static readonly IReadOnlySet<string> VideoExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi", ".flv", ".ts", ".mts", ".m2ts", ".mpg", ".mpeg", ".ogv", ".wmv", ".3gp", ".mxf",
    };

    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "video files, or folders whose videos to submit", Arity = ArgumentArity.OneOrMore };
        var wait = new Option<bool>("--wait") { Description = "follow progress until every video is final; exit 1 if any failed" };
        var overwrite = new Option<bool>("--overwrite") { Description = "replace a blob of the same name that holds other bytes" };
        var timeout = new Option<int>("--timeout") { Description = "minutes --wait waits at most", DefaultValueFactory = _ => 30, HelpName = "MINUTES" };
        var models = new Option<string?>("--models")
        {
            Description = "model ids or label spaces to run for these videos, comma-separated (the blob's 'models' metadata; default: the worker's Pipeline__Models)",
            HelpName = "LIST",
        };
        var api = CliOptions.Api();
        var command = new Command("submit", "upload videos to the 'videos' container; print each video's id and URL") { paths, wait, overwrite, models, timeout, api };
        command.SetAction(async (parse, ct) =>
        {
            var files = Expand(parse.GetValue(paths)!);
            var output = parse.InvocationConfiguration.Output;
            var ids = await UploadAsync(files, parse.GetValue(overwrite), Models(parse.GetValue(models)), parse.GetValue(api)!, output, ct);
            if (!parse.GetValue(wait))
            {
                return 0;
            }

            using var client = new ApiClient(parse.GetValue(api)!);
            return await ProgressWatcher.WaitAsync(client, ids, TimeSpan.FromMinutes(parse.GetValue(timeout)), output, ct);
        });
        return command;
    }

    /// <summary>One file to upload and the blob name it gets.</summary>
    public sealed record Upload(string Path, string BlobName);

    /// <summary>The files of a batch, or a <see cref="CliException"/> naming every problem; nothing is uploaded before this passes.</summary>
    public static IReadOnlyList<Upload> Expand(IEnumerable<string> paths)
    {
        var problems = new List<string>();
        var files = new List<string>();
        foreach (var path in paths)
        {
            var full = System.IO.Path.GetFullPath(path);
            if (File.Exists(full))
            {
                files.Add(full);
            }
            else if (Directory.Exists(full))
            {
                var videos = Directory.EnumerateFiles(full).Where(f => VideoExtensions.Contains(System.IO.Path.GetExtension(f))).Order(StringComparer.Ordinal).ToList();
                if (videos.Count == 0)
                {
                    problems.Add($"no video files in folder {path} (looked for {string.Join(' ', VideoExtensions.Order(StringComparer.Ordinal))})");
                }

                files.AddRange(videos);
            }
            else
            {
                problems.Add($"no such file or folder: {path}");
            }
        }

        var uploads = files.Distinct(StringComparer.Ordinal).Select(f => new Upload(f, System.IO.Path.GetFileName(f))).ToList();
        foreach (var clash in uploads.GroupBy(u => u.BlobName, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"{string.Join(" and ", clash.Select(u => u.Path))} would both be blob '{clash.Key}': rename one or submit them separately");
        }

        if (problems.Count > 0)
        {
            throw new CliException("nothing uploaded:\n  " + string.Join("\n  ", problems));
        }

        return uploads;
    }

    /// <summary>The <c>--models</c> list as the blob's metadata value (normalised), or null when not given.</summary>
    private static string? Models(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var selection = ModelSelection.Parse(text);
        return selection.IsAll ? throw new CliException("--models needs model ids or label spaces (see ./sv check-models)") : selection.ToString();
    }

    private static string? ModelsOf(BlobProperties blob) =>
        blob.Metadata.FirstOrDefault(m => string.Equals(m.Key, "models", StringComparison.OrdinalIgnoreCase)).Value;

    private static async Task<List<string>> UploadAsync(IReadOnlyList<Upload> uploads, bool overwrite, string? models, Uri api, TextWriter output, CancellationToken cancellationToken)
    {
        var pipeline = new PipelineOptions();
        new ConfigurationBuilder().AddEnvironmentVariables().Build().GetSection(PipelineOptions.Section).Bind(pipeline);
        if (!pipeline.HasStorage)
        {
            throw new CliException("no storage to upload to: start ./sv serve (it sets Pipeline__StorageConnectionString), or set it yourself");
        }

        var settings = Microsoft.Extensions.Options.Options.Create(pipeline);
        var storage = new StorageClients(settings);
        var starter = new VideoStarter(new ResultStore(storage), new VideoFileCache(storage, settings, NullLogger<VideoFileCache>.Instance), NullLogger<VideoStarter>.Instance);
        try
        {
            await storage.Videos.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            // Every name is checked before the first upload, so a refused batch leaves nothing half-done.
            var hashes = new Dictionary<Upload, byte[]>();
            var existing = new Dictionary<Upload, BlobProperties>();
            var refused = new List<string>();
            foreach (var upload in uploads)
            {
                hashes[upload] = await Md5Async(upload.Path, cancellationToken);
                var found = await PropertiesAsync(storage, upload.BlobName, cancellationToken);
                if (found is null)
                {
                    continue;
                }

                existing[upload] = found;
                if (!overwrite && (found.ContentHash is null || !found.ContentHash.AsSpan().SequenceEqual(hashes[upload])))
                {
                    refused.Add($"blob '{upload.BlobName}' already holds other bytes than {upload.Path}: pass --overwrite to replace it (the new version gets a new id)");
                }
                else if (!overwrite && !string.Equals(ModelsOf(found), models, StringComparison.Ordinal))
                {
                    refused.Add($"blob '{upload.BlobName}' holds these bytes for models={ModelsOf(found) ?? "(the worker's setting)"}: pass --overwrite to submit it again for models={models ?? "(the worker's setting)"} (it gets a new id)");
                }
            }

            if (refused.Count > 0)
            {
                throw new CliException("nothing uploaded:\n  " + string.Join("\n  ", refused));
            }

            var table = new TextTable("id", "blob", "url");
            var ids = new List<string>();
            foreach (var upload in uploads)
            {
                var same = existing.TryGetValue(upload, out var found) && found.ContentHash is { } hash && hash.AsSpan().SequenceEqual(hashes[upload])
                    && string.Equals(ModelsOf(found), models, StringComparison.Ordinal);
                var etag = same ? found!.ETag : await PutAsync(storage, upload, hashes[upload], overwrite, models, cancellationToken);
                var id = await starter.RecordSubmittedAsync(storage.Videos.Name, upload.BlobName, etag.ToString(), DateTimeOffset.UtcNow, cancellationToken);
                ids.Add(id);
                table.Add(id, upload.BlobName + (same ? " (already uploaded)" : string.Empty), $"{api.ToString().TrimEnd('/')}/api/videos/{id}");
            }

            await output.WriteLineAsync(table.ToString());
            return ids;
        }
        catch (RequestFailedException ex)
        {
            throw new CliException($"storage refused the upload: {ex.Status} {ex.ErrorCode}", ex);
        }
    }

    private static async Task<ETag> PutAsync(StorageClients storage, Upload upload, byte[] md5, bool overwrite, string? models, CancellationToken cancellationToken)
    {
        var options = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentHash = md5 },
            Metadata = models is null ? null : new Dictionary<string, string> { ["models"] = models },
            // Without --overwrite, a blob someone created since the check is not replaced.
            Conditions = overwrite ? null : new BlobRequestConditions { IfNoneMatch = ETag.All },
        };
        try
        {
            var uploaded = await storage.Videos.GetBlobClient(upload.BlobName).UploadAsync(upload.Path, options, cancellationToken);
            return uploaded.Value.ETag;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            throw new CliException($"blob '{upload.BlobName}' was created by someone else meanwhile; submit again to see what it holds", ex);
        }
    }

    private static async Task<BlobProperties?> PropertiesAsync(StorageClients storage, string name, CancellationToken cancellationToken)
    {
        try
        {
            return (await storage.Videos.GetBlobClient(name).GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    private static async Task<byte[]> Md5Async(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
#pragma warning disable CA5351 // MD5 is what Blob Storage records as Content-MD5; it identifies content, it protects nothing.
        return await MD5.HashDataAsync(file, cancellationToken);
#pragma warning restore CA5351
    }
}
