using Azure.Storage.Blobs;
using ServerlessVideo.Testing;

namespace ServerlessVideo.EndToEnd.Tests;

/// <summary>The <c>sv</c> CLI as processes: help, unknown commands, a missing host, and what <c>submit</c> refuses before it uploads.</summary>
public sealed class CliTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    [Theory]
    [InlineData("submit", "--overwrite")]
    [InlineData("status", "--json")]
    [InlineData("list", "--cursor")]
    [InlineData("serve", "--urls")]
    [InlineData("flow", "--algorithm")]
    [InlineData("check-models", "Inference__ModelsPath")]
    [InlineData("models", "presets")]
    [InlineData("demo", "SynthMotion")]
    [InlineData("bench", "--quick")]
    public async Task Every_command_has_help_that_needs_no_host(string command, string mentions)
    {
        var (code, output, error) = await CliProcess.RunAsync(null, Timeout, command, "--help");
        Assert.True(code == 0, output + error);
        Assert.Contains(mentions, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_command_is_named_as_unknown()
    {
        var (code, output, error) = await CliProcess.RunAsync(null, Timeout, "bogus");
        Assert.NotEqual(0, code);
        Assert.Contains("bogus", error + output, StringComparison.Ordinal);
        Assert.Contains("Unrecognized command", error + output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("status", "vAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("list")]
    public async Task No_host_at_the_address_is_one_clear_line_not_a_crash(params string[] args)
    {
        var port = Azurite.FreePort();
        var (code, output, error) = await CliProcess.RunAsync(null, Timeout, [.. args, "--api", $"http://127.0.0.1:{port}"]);
        Assert.Equal(2, code);
        Assert.Contains($"no host answers at http://127.0.0.1:{port}", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_checks_the_whole_batch_before_uploading_anything()
    {
        await using var env = new HostEnvironment();
        var a = await TestVideos.ColourAsync(env.Scratch, "red", 64, 48, 10, 1);
        var (code, _, error) = await CliProcess.RunAsync(env.Settings, Timeout, "submit", a, Path.Combine(env.Scratch, "missing.mp4"));
        Assert.Equal(2, code);
        Assert.Contains("no such file or folder", error, StringComparison.Ordinal);
        Assert.Empty(await BlobsAsync(env));

        // Two different files that would share a blob name.
        var other = Directory.CreateDirectory(Path.Combine(env.Scratch, "other")).FullName;
        var twin = await TestVideos.ColourAsync(other, "red", 64, 48, 10, 1);
        File.AppendAllText(twin, "x");
        (code, _, error) = await CliProcess.RunAsync(env.Settings, Timeout, "submit", a, twin);
        Assert.Equal(2, code);
        Assert.Contains("would both be blob", error, StringComparison.Ordinal);
        Assert.Empty(await BlobsAsync(env));
    }

    [Fact]
    public async Task A_folder_submits_its_videos_and_the_same_bytes_again_keep_their_id_while_other_bytes_need_overwrite()
    {
        await using var env = new HostEnvironment();
        var folder = Directory.CreateDirectory(Path.Combine(env.Scratch, "batch")).FullName;
        await TestVideos.ColourAsync(folder, "red", 64, 48, 10, 1);
        await TestVideos.ColourAsync(folder, "blue", 64, 48, 10, 1);
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "not a video");

        var (code, output, error) = await CliProcess.RunAsync(env.Settings, Timeout, "submit", folder);
        Assert.True(code == 0, output + error);
        Assert.Equal(2, (await BlobsAsync(env)).Count);
        var first = Ids(output);
        Assert.Equal(2, first.Count);

        (code, output, error) = await CliProcess.RunAsync(env.Settings, Timeout, "submit", folder);
        Assert.True(code == 0, output + error);
        Assert.Equal(first, Ids(output));
        Assert.Contains("already uploaded", output, StringComparison.Ordinal);

        var changed = Path.Combine(folder, Path.GetFileName((await BlobsAsync(env))[0]));
        File.AppendAllText(changed, "x");
        (code, _, error) = await CliProcess.RunAsync(env.Settings, Timeout, "submit", changed);
        Assert.Equal(2, code);
        Assert.Contains("--overwrite", error, StringComparison.Ordinal);

        (code, output, error) = await CliProcess.RunAsync(env.Settings, Timeout, "submit", changed, "--overwrite");
        Assert.True(code == 0, output + error);
        Assert.DoesNotContain(Ids(output)[0], first);
    }

    private static List<string> Ids(string output) =>
        output.Split('\n').Where(l => l.Contains("/api/videos/", StringComparison.Ordinal)).Select(l => l.Split(' ')[0]).ToList();

    private static async Task<List<string>> BlobsAsync(HostEnvironment env)
    {
        var names = new List<string>();
        var container = new BlobContainerClient(Azurite.ConnectionString, env.VideosContainer);
        if (!await container.ExistsAsync())
        {
            return names;
        }

        await foreach (var blob in container.GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        return names;
    }
}
