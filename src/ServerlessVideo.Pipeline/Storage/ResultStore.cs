using Azure;
using Azure.Data.Tables;

namespace ServerlessVideo.Pipeline.Storage;

/// <summary>The worker's reads and writes of video and model result rows (the HTTP API reads through <see cref="ResultQueries"/>).</summary>
public sealed class ResultStore(StorageClients storage)
{
    /// <summary>
    /// Inserts a Queued row unless the video already has one (a re-delivered upload keeps its state); the inserted row's
    /// ETag, or null when there was a row.
    /// </summary>
    public async Task<ETag?> TryInsertAsync(VideoRow row, CancellationToken cancellationToken) =>
        (await TryInsertManyAsync([row], cancellationToken))[0];

    /// <summary>
    /// <see cref="TryInsertAsync"/> for several rows: each inserted on its own (each video is its own partition), then
    /// the index entries of those inserted in one transaction per hundred (they share the index's partition).
    /// </summary>
    public async Task<IReadOnlyList<ETag?>> TryInsertManyAsync(IReadOnlyList<VideoRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await storage.EnsureCreatedAsync();
        var etags = new ETag?[rows.Count];
        var entries = new List<VideoRow>(rows.Count);
        try
        {
            for (var i = 0; i < rows.Count; i++)
            {
                try
                {
                    etags[i] = (await storage.VideoRows.AddEntityAsync(rows[i], cancellationToken)).Headers.ETag;
                    if (rows[i].AsIndexEntry() is { } entry)
                    {
                        entries.Add(entry);
                    }
                }
                catch (RequestFailedException ex) when (ex.Status == 409)
                {
                    etags[i] = null;
                }
            }
        }
        finally
        {
            // Also when a later insert failed: a row inserted is listed (found again, it answers 409 and is not indexed).
            await IndexManyAsync(entries, cancellationToken);
        }

        return etags;
    }

    private async Task IndexManyAsync(List<VideoRow> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 1)
        {
            await storage.VideoIndex.UpsertEntityAsync(entries[0], TableUpdateMode.Merge, cancellationToken);
            return;
        }

        foreach (var chunk in entries.Chunk(100))
        {
            await storage.VideoIndex.SubmitTransactionAsync(
                chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertMerge, e)), cancellationToken);
        }
    }

    /// <summary>
    /// Merges <paramref name="row"/> into the stored row only if that is still the version <paramref name="etag"/> names;
    /// false when it has changed or is gone.
    /// </summary>
    public async Task<bool> TryMergeUnchangedAsync(VideoRow row, ETag etag, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync();
        try
        {
            await storage.VideoRows.UpdateEntityAsync(row, etag, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }

        await IndexAsync(row, cancellationToken);
        return true;
    }

    /// <summary>Merges the set columns of <paramref name="row"/> into the stored row.</summary>
    public async Task MergeAsync(VideoRow row, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync();
        await storage.VideoRows.UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken);
        await IndexAsync(row, cancellationToken);
    }

    /// <summary>
    /// Deletes a video's index entry (it leaves lists first), its model rows and its row; returns how many entities
    /// went. Rows already gone count as deleted.
    /// </summary>
    public async Task<int> DeleteAsync(VideoRow row, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync();
        var deleted = 0;
        if (row.AsIndexEntry() is { } entry)
        {
            deleted += await DeleteEntityAsync(storage.VideoIndex, entry.PartitionKey, entry.RowKey, cancellationToken);
        }

        await foreach (var model in storage.ModelRows.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {row.PartitionKey}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            deleted += await DeleteEntityAsync(storage.ModelRows, model.PartitionKey, model.RowKey, cancellationToken);
        }

        return deleted + await DeleteEntityAsync(storage.VideoRows, row.PartitionKey, VideoRow.Key, cancellationToken);
    }

    private static async Task<int> DeleteEntityAsync(TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            var response = await table.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken);
            return response.Status == 404 ? 0 : 1;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return 0;
        }
    }

    /// <summary>The same columns into the video's index entry (after the row: the row is the truth, the index follows it).</summary>
    private async Task IndexAsync(VideoRow row, CancellationToken cancellationToken)
    {
        if (row.AsIndexEntry() is { } entry)
        {
            await storage.VideoIndex.UpsertEntityAsync(entry, TableUpdateMode.Merge, cancellationToken);
        }
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
        await IndexAsync(video, cancellationToken);
    }

    public async Task<VideoRow?> GetAsync(string videoId, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync();
        var found = await storage.VideoRows.GetEntityIfExistsAsync<VideoRow>(videoId, VideoRow.Key, cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    /// <summary>Rows still Queued that were submitted before <paramref name="submittedBefore"/>.</summary>
    public async Task<IReadOnlyList<VideoRow>> ListQueuedAsync(DateTimeOffset submittedBefore, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync();
        var rows = new List<VideoRow>();
        await foreach (var row in storage.VideoRows.QueryAsync<VideoRow>(
            TableClient.CreateQueryFilter($"RowKey eq {VideoRow.Key} and Status eq {Messages.VideoStatuses.Queued} and SubmittedAt lt {submittedBefore}"),
            cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }
}
