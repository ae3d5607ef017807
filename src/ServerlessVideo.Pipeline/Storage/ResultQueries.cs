using Azure;
using Azure.Data.Tables;

namespace ServerlessVideo.Pipeline.Storage;

/// <summary>
/// The HTTP API's reads of result rows, on the short-budget clients (<see cref="StorageClients.QueryVideoRows"/>):
/// they fail within <see cref="PipelineOptions.ApiTimeout"/> when storage is down instead of retrying for long. They
/// create nothing: a table that does not exist yet reads as empty.
/// </summary>
public sealed class ResultQueries(StorageClients storage)
{
    public async Task<VideoRow?> GetAsync(string videoId, CancellationToken cancellationToken)
    {
        var found = await storage.QueryVideoRows.GetEntityIfExistsAsync<VideoRow>(videoId, VideoRow.Key, cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    public async Task<IReadOnlyList<ModelResultRow>> GetModelRowsAsync(string videoId, CancellationToken cancellationToken)
    {
        var rows = new List<ModelResultRow>();
        try
        {
            await foreach (var row in storage.QueryModelRows.QueryAsync<ModelResultRow>(TableClient.CreateQueryFilter($"PartitionKey eq {videoId}"), cancellationToken: cancellationToken))
            {
                rows.Add(row);
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No model results table yet.
        }

        return rows;
    }

    /// <summary>
    /// One page of videos, newest first, from the index, and the token of the next page (null at the end): those in
    /// <paramref name="status"/> and with top label <paramref name="topLabel"/> when given. A page may hold fewer than
    /// <paramref name="pageSize"/> rows and still have a next one.
    /// </summary>
    public async Task<(IReadOnlyList<VideoRow> Rows, string? Next)> ListAsync(
        int pageSize, string? continuation, CancellationToken cancellationToken, string? status = null, string? topLabel = null)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {VideoRow.IndexPartition}");
        if (status is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Status eq {status}");
        }

        if (topLabel is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"TopLabel eq {topLabel}");
        }

        var pages = storage.QueryVideoIndex
            .QueryAsync<VideoRow>(filter, maxPerPage: pageSize, cancellationToken: cancellationToken)
            .AsPages(continuation, pageSize);
        try
        {
            await foreach (var page in pages)
            {
                return ([.. page.Values.Select(e => e.FromIndexEntry())], page.ContinuationToken);
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No videos table yet: nothing was ever uploaded.
        }

        return ([], null);
    }

    /// <summary>One small read of the videos table; returns when storage answers (a missing table is an answer too), throws when it does not.</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var _ in storage.QueryVideoRows.QueryAsync<TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken).AsPages(pageSizeHint: 1))
            {
                return;
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Storage answered; the table does not exist yet.
        }
    }
}
