using Azure;
using Azure.Data.Tables;
using ServerlessVideo.Core;

namespace ServerlessVideo.Pipeline.Storage;

/// <summary>
/// One row per video (PartitionKey = video id, RowKey = <see cref="Key"/>). JSON columns hold small lists. The same
/// columns are copied, newest first, into the index table (<see cref="AsIndexEntry"/>) that lists and filters read.
/// </summary>
public sealed class VideoRow : ITableEntity
{
    public const string Key = "video";

    /// <summary>The one partition of the index table: every video, keyed by inverted submission time.</summary>
    public const string IndexPartition = "videos";

    /// <summary>A row for <paramref name="job"/> in <paramref name="status"/>, with the upload's identity columns set.</summary>
    public static VideoRow Of(Messages.VideoJob job, string status)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new VideoRow
        {
            PartitionKey = job.VideoId,
            VideoId = job.VideoId,
            Status = status,
            Container = job.Container,
            BlobName = job.BlobName,
            BlobETag = job.ETag,
            SubmittedAt = job.SubmittedAt,
        };
    }

    public string PartitionKey { get; set; } = string.Empty;
    public string RowKey { get; set; } = Key;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    /// <summary>The video's id: the partition key of its row, and the only place the index entry has it.</summary>
    public string? VideoId { get; set; }

    public string Status { get; set; } = string.Empty;
    public string? ReasonCode { get; set; }
    public string? Message { get; set; }

    public string? Container { get; set; }
    public string? BlobName { get; set; }
    public string? BlobETag { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    public double? DurationSeconds { get; set; }
    public double? Fps { get; set; }
    public int? Width { get; set; }
    public int? Height { get; set; }
    public int? Rotation { get; set; }
    public string? Codec { get; set; }
    public string? Format { get; set; }
    public long? SizeBytes { get; set; }

    public string? TopLabel { get; set; }
    public double? Confidence { get; set; }
    /// <summary>JSON array of {label, confidence}: the weighted cross-model consensus, best first.</summary>
    public string? LabelsJson { get; set; }
    public string? MajorityLabel { get; set; }
    public double? Agreement { get; set; }
    /// <summary>The label space of <see cref="TopLabel"/> … <see cref="Agreement"/>: the first block of <see cref="ConsensusJson"/>.</summary>
    public string? LabelSpace { get; set; }
    /// <summary>JSON array of consensus blocks, one per label space, the video's answer first (<see cref="Api.ConsensusBlock"/>).</summary>
    public string? ConsensusJson { get; set; }
    /// <summary>JSON array of model ids used.</summary>
    public string? ModelsJson { get; set; }
    /// <summary>JSON array of {id, reasonCode, message}: models that did not run for this video and why; null when all ran.</summary>
    public string? UnavailableModelsJson { get; set; }
    /// <summary>JSON array of the models that ran but failed ({id, reasonCode, message}); null when none did.</summary>
    public string? FailedModelsJson { get; set; }
    /// <summary>Execution provider(s) that ran inference, comma-separated when models differ.</summary>
    public string? Provider { get; set; }
    /// <summary>JSON object stage → milliseconds.</summary>
    public string? TimingsJson { get; set; }

    /// <summary>Index keys sort newest first: the ticks left until the end of time, then the id (two videos in one tick).</summary>
    public static string IndexKey(DateTimeOffset submittedAt, string videoId) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{DateTimeOffset.MaxValue.UtcTicks - submittedAt.UtcTicks:D19}-{videoId}");

    /// <summary>Whether <paramref name="key"/> has the form of <see cref="IndexKey"/>.</summary>
    public static bool IsIndexKey(string? key) =>
        key is { Length: 20 + 27 } && key[19] == '-' && key.AsSpan(0, 19).IndexOfAnyExceptInRange('0', '9') < 0 && VideoIds.IsValid(key[20..]);

    /// <summary>These columns keyed for the index table; null for a row with no submission time (nothing to order it by).</summary>
    public VideoRow? AsIndexEntry()
    {
        if (SubmittedAt is not { } submitted)
        {
            return null;
        }

        var entry = (VideoRow)MemberwiseClone();
        entry.VideoId = PartitionKey;
        entry.PartitionKey = IndexPartition;
        entry.RowKey = IndexKey(submitted, PartitionKey);
        entry.ETag = default;
        return entry;
    }

    /// <summary>The video row an index entry copies.</summary>
    public VideoRow FromIndexEntry()
    {
        var row = (VideoRow)MemberwiseClone();
        row.PartitionKey = VideoId ?? RowKey[(RowKey.IndexOf('-', StringComparison.Ordinal) + 1)..];
        row.RowKey = Key;
        return row;
    }
}
