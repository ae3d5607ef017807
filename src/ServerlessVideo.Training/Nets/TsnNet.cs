using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ServerlessVideo.Training.Nets;

/// <summary>
/// Temporal Segment Network: the 2D CNN scores each sampled frame (one per segment) on its own, and the segmental
/// consensus is the average of the frames' class scores. Frame order cannot matter.
/// </summary>
public sealed class TsnNet : FrameCnnNet
{
    public TsnNet(int classes) : base(nameof(TsnNet))
    {
        Cnn = new FrameCnn();
        Dropout = nn.Dropout(0.3);
        Fc = Linear(FrameCnn.OutChannels, classes);
        RegisterComponents();
    }

    public override FrameCnn Cnn { get; }

    public Linear Fc { get; }

    private Dropout Dropout { get; }

    public override Tensor forward(Tensor x)
    {
        var (n, t) = (x.shape[0], x.shape[1]);
        var features = functional.adaptive_avg_pool2d(FrameMaps(x), 1).flatten(1);
        var scores = Fc.call(Dropout.call(features));
        return scores.reshape(n, t, -1).mean([1]);
    }

    public override long MacsPerClip(int frames, int size) => frames * (FrameCnn.MacsPerFrame(size) + (FrameCnn.OutChannels * Fc.out_features));
}
