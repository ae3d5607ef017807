using Azure;
using Azure.Data.Tables;

namespace ServerlessVideo.Host.Watching;

/// <summary>A receipt for one (blob name, ETag): PartitionKey = video id. Inserted with a conditional add, so one watcher wins.</summary>
public sealed class ClaimRow : ITableEntity
{
    public const string Key = "claim";
    public const string Claimed = "Claimed";
    public const string Started = "Started";

    public string PartitionKey { get; set; } = string.Empty;
    public string RowKey { get; set; } = Key;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string BlobName { get; set; } = string.Empty;
    public string BlobETag { get; set; } = string.Empty;
    public string State { get; set; } = Claimed;
    public string Owner { get; set; } = string.Empty;
}
