using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Training.Nets;

namespace ServerlessVideo.Training;

/// <summary>Everything that defines a built-in model: architecture, sampling, preprocessing and the training schedule.</summary>
public sealed record Recipe(
    string Id,
    string Family,
    string Name,
    Func<int, VideoNet> Create,
    SamplingSpec Sampling,
    int Epochs,
    int TrainPerClass = 320,
    int ValidationPerClass = 30,
    int TestPerClass = 50,
    int Seed = 1234,
    double LearningRate = 3e-3)
{
    public const int FrameSize = 64;

    public static readonly PreprocessingSpec Preprocessing = new(FrameSize, FrameSize, 255, [0.5, 0.5, 0.5], [0.25, 0.25, 0.25]);

    public static readonly IReadOnlyList<Recipe> All =
    [
        new("tsn-synthmotion", "tsn", "TSN: 2D CNN per segment frame, average consensus",
            classes => new TsnNet(classes), new SamplingSpec(8, null, null, 1, SamplingSpec.Segments), Epochs: 20),
        new("netvlad-synthmotion", "netvlad", "NetVLAD pooling of space-time CNN descriptors",
            classes => new NetVladNet(classes), new SamplingSpec(8, 4, null, 3), Epochs: 20),
        new("cnn-lstm-synthmotion", "cnn-lstm", "CNN + LSTM over the frame sequence",
            classes => new CnnLstmNet(classes, FrameSize), new SamplingSpec(8, 4, null, 3), Epochs: 20),
    ];

    public static Recipe Get(string id) =>
        All.SingleOrDefault(r => r.Id == id) ?? throw new ArgumentException($"No recipe '{id}'. Known: {string.Join(", ", All.Select(r => r.Id))}");
}
