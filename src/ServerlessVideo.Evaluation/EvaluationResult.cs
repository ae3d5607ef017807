namespace ServerlessVideo.Evaluation;

/// <summary>Accuracy of one model on one set of SynthMotion clips.</summary>
/// <param name="Count">Videos evaluated.</param>
/// <param name="Accuracy">Top-1 accuracy over all classes.</param>
/// <param name="TemporalPairAccuracy">Top-1 accuracy over the videos of the eight temporal-order classes.</param>
/// <param name="MillisecondsPerClip">Median ONNX Runtime time for one clip, CPU.</param>
public sealed record EvaluationResult(int Count, double Accuracy, double TemporalPairAccuracy, double MillisecondsPerClip);
