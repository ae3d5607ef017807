using Azure;
using Azure.Data.Tables;

namespace ServerlessVideo.Pipeline.Storage;

/// <summary>Reads and writes video and model result rows.</summary>
public sealed class ResultStore(StorageClients storage)
{
    /// <summary>Inserts a Queued row unless the video already has one (a re-delivered upload keeps its state).</summary>
    public async Task<bool> TryInsertAsync(VideoRow row, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync();
        try
        {
            await storage.VideoRows.AddEntityAsync(row, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Merges the set columns of <paramref name="row"/> into the stored row.</summary>
    public async Task MergeAsync(VideoRow row, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync();
        await storage.VideoRows.UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>Writes the model rows in one transaction (they share the video's partition), then the video row.</summary>
    public async Task WriteFinalAsync(VideoRow video, IReadOnlyList<ModelResultRow> models, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync();
        foreach (var chunk in models.Chunk(100))
        {
            await storage.ModelRows.SubmitTransactionAsync(
                chunk.Select(m => new TableTransactionAction(TableTransactionActionType.UpsertReplace, m)), cancellationToken);
        }

        await storage.VideoRows.UpsertEntityAsync(video, TableUpdateMode.Merge, cancellationToken);
    }

    public async Task<VideoRow?> GetAsync(string videoId, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync();
        var found = await storage.VideoRows.GetEntityIfExistsAsync<VideoRow>(videoId, VideoRow.Key, cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    public async Task<IReadOnlyList<ModelResultRow>> GetModelRowsAsync(string videoId, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync();
        var rows = new List<ModelResultRow>();
        await foreach (var row in storage.ModelRows.QueryAsync<ModelResultRow>(r => r.PartitionKey == videoId, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Rows still Queued that were submitted before <paramref name="submittedBefore"/>.</summary>
    public async Task<IReadOnlyList<VideoRow>> ListQueuedAsync(DateTimeOffset submittedBefore, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync();
        var rows = new List<VideoRow>();
        await foreach (var row in storage.VideoRows.QueryAsync<VideoRow>(
            r => r.RowKey == VideoRow.Key && r.Status == Messages.VideoStatuses.Queued && r.SubmittedAt < submittedBefore,
            cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>One page of video rows in key order and the token of the next page (null at the end).</summary>
    public async Task<(IReadOnlyList<VideoRow> Rows, string? Next)> ListAsync(int pageSize, string? continuation, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync();
        var pages = storage.VideoRows
            .QueryAsync<VideoRow>(r => r.RowKey == VideoRow.Key, maxPerPage: pageSize, cancellationToken: cancellationToken)
            .AsPages(continuation, pageSize);
        await foreach (var page in pages)
        {
            return (page.Values, page.ContinuationToken);
        }

        return ([], null);
    }
}
