namespace ServerlessVideo.Core.Results;

/// <summary>A label with its probability, 0..1.</summary>
public sealed record LabelScore(string Label, double Confidence);
