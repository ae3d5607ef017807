using Azure.Storage.Blobs;
using ServerlessVideo.Core;
using ServerlessVideo.Testing;

namespace ServerlessVideo.EndToEnd.Tests;

/// <summary>
/// A version replaced or deleted before the watcher lists the container is never seen by it. Its submitter holds an
/// id all the same; the id must end <c>NOT_FOUND</c>, not answer 404 forever, and a version the watcher merely missed
/// must still be processed.
/// </summary>
public sealed class UnseenBlobTests
{
    [Fact]
    public async Task A_submitted_blob_deleted_before_the_watcher_sees_it_ends_not_found_and_a_missed_one_is_still_processed()
    {
        // The watcher lists once at start and then not for an hour: everything submitted after start is unseen by it.
        await using var env = new HostEnvironment(s =>
        {
            s["Host__WatchInterval"] = "01:00:00";
            s["Host__SweepInterval"] = "00:00:00.500";
            s["Host__QueuedGrace"] = "00:00:01";
        });
        using var host = new HostProcess(env.Settings);
        await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));

        var gone = await TestVideos.ColourAsync(env.Scratch, "red", 160, 120, 25, 1);
        var kept = await TestVideos.ColourAsync(env.Scratch, "blue", 160, 120, 25, 1);
        var ids = await SubmitAsync(env, gone, kept);
        await new BlobContainerClient(Azurite.ConnectionString, env.VideosContainer).DeleteBlobAsync(Path.GetFileName(gone));

        var goneVideo = await host.WaitForAsync(ids[0], HostProcess.IsFinal, TimeSpan.FromSeconds(60));
        Assert.Equal("Failed", goneVideo["status"]!.GetValue<string>());
        Assert.Equal(ReasonCodes.NotFound, goneVideo["reasonCode"]!.GetValue<string>());
        Assert.Contains("deleted or overwritten", goneVideo["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var keptVideo = await host.WaitForAsync(ids[1], HostProcess.IsFinal, TimeSpan.FromMinutes(2));
        Assert.Equal("Completed", keptVideo["status"]!.GetValue<string>());
        Assert.Equal("blue", keptVideo["labels"]![0]!["label"]!.GetValue<string>());
    }

    /// <summary><c>sv submit</c> as a user runs it; the ids it prints, in order.</summary>
    private static async Task<List<string>> SubmitAsync(HostEnvironment env, params string[] files)
    {
        var (code, output, error) = await CliProcess.RunAsync(env.Settings, TimeSpan.FromMinutes(1), ["submit", .. files]);
        Assert.True(code == 0, output + error);
        return output.Split('\n').Where(l => l.Contains("/api/videos/", StringComparison.Ordinal)).Select(l => l.Split(' ')[0]).ToList();
    }
}
