using Azure;
using Azure.Data.Tables;

namespace ServerlessVideo.Pipeline.Storage;

/// <summary>One row per video (PartitionKey = video id, RowKey = <see cref="Key"/>). JSON columns hold small lists.</summary>
public sealed class VideoRow : ITableEntity
{
    public const string Key = "video";

    /// <summary>A row for <paramref name="job"/> in <paramref name="status"/>, with the upload's identity columns set.</summary>
    public static VideoRow Of(Messages.VideoJob job, string status)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new VideoRow
        {
            PartitionKey = job.VideoId,
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
}
