using ServerlessVideo.Core;
using ServerlessVideo.Pipeline.Storage;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Pipeline.Tests;

public sealed class ResultQueriesTests
{
    [Fact]
    public async Task Tables_that_do_not_exist_yet_read_as_empty_and_are_not_created_by_reads()
    {
        var options = PipelineHarness.UniqueStorage(new PipelineOptions());
        var storage = new StorageClients(Microsoft.Extensions.Options.Options.Create(options));
        var queries = new ResultQueries(storage);

        Assert.Null(await queries.GetAsync(VideoIds.FromBlob("videos", "a.mp4", "1"), CancellationToken.None));
        Assert.Empty(await queries.GetModelRowsAsync(VideoIds.FromBlob("videos", "a.mp4", "1"), CancellationToken.None));
        var (rows, next) = await queries.ListAsync(10, null, CancellationToken.None);
        Assert.Empty(rows);
        Assert.Null(next);
        await queries.PingAsync(CancellationToken.None);

        // The API only reads: creating tables is the worker's job.
        var tables = new List<string>();
        await foreach (var t in new Azure.Data.Tables.TableServiceClient(Azurite.ConnectionString).QueryAsync(t => t.Name == options.VideosTable || t.Name == options.VideoIndexTable))
        {
            tables.Add(t.Name);
        }

        Assert.Empty(tables);
    }
}
