using Azure;
using Azure.Data.Tables;

namespace ServerlessVideo.Pipeline.Storage;

/// <summary>One row per (video, model): PartitionKey = video id, RowKey = model id.</summary>
public sealed class ModelResultRow : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;
    public string RowKey { get; set; } = string.Empty;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Family { get; set; } = string.Empty;
    /// <summary>The label space of the model's labels.</summary>
    public string? LabelSpace { get; set; }
    public string TopLabel { get; set; } = string.Empty;
    public double Confidence { get; set; }
    /// <summary>JSON array of {label, confidence}, best first, mean over clips.</summary>
    public string LabelsJson { get; set; } = "[]";
    public string Provider { get; set; } = string.Empty;
    public int Clips { get; set; }
    public double InferenceMs { get; set; }

    /// <summary>Completed, or Failed with <see cref="ReasonCode"/> and <see cref="Message"/> (null: Completed, as rows written before models could fail alone).</summary>
    public string? Status { get; set; }

    public string? ReasonCode { get; set; }

    public string? Message { get; set; }
}
