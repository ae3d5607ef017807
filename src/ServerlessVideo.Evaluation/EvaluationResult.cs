namespace ServerlessVideo.Evaluation;

/// <summary>Accuracy of one model on one set of SynthMotion clips.</summary>
/// <param name="Count">Videos evaluated.</param>
/// <param name="Accuracy">Top-1 accuracy over all classes.</param>
/// <param name="TemporalPairAccuracy">Top-1 accuracy over the videos of the eight temporal-order classes.</param>
/// <param name="MillisecondsPerClip">Median CPU time for one clip from its decoded frames: the optical flow, for a model that reads flow, and ONNX Runtime.</param>
public sealed record EvaluationResult(int Count, double Accuracy, double TemporalPairAccuracy, double MillisecondsPerClip)
{
    /// <summary>Top-1 accuracy per true class.</summary>
    public IReadOnlyDictionary<string, double> ClassAccuracy { get; init; } = new Dictionary<string, double>();
}
