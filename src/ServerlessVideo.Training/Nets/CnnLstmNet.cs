using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ServerlessVideo.Training.Nets;

/// <summary>
/// CNN + LSTM (LRCN-style): each frame's CNN feature map (flattened, so where things are survives) is embedded, an LSTM
/// reads the sequence in order, and its last hidden state is classified.
/// </summary>
public sealed class CnnLstmNet : FrameCnnNet
{
    public const int Embedding = 128;
    public const int Hidden = 128;

    public CnnLstmNet(int classes, int frameSize) : base(nameof(CnnLstmNet))
    {
        Cnn = new FrameCnn();
        Cells = (frameSize / 16) * (frameSize / 16);
        Embed = Linear(FrameCnn.OutChannels * Cells, Embedding);
        Lstm = LSTM(Embedding, Hidden, numLayers: 1, batchFirst: true);
        Fc = Linear(Hidden, classes);
        RegisterComponents();
    }

    public override FrameCnn Cnn { get; }

    public Linear Embed { get; }

    public LSTM Lstm { get; }

    public Linear Fc { get; }

    public int Cells { get; }

    public override Tensor forward(Tensor x)
    {
        var (n, t) = (x.shape[0], x.shape[1]);
        var features = functional.relu(Embed.call(FrameMaps(x).flatten(1))).reshape(n, t, Embedding);
        var (_, h, _) = Lstm.call(features);
        return Fc.call(h[0]);
    }

    public override long MacsPerClip(int frames, int size) =>
        frames * (FrameCnn.MacsPerFrame(size) + (Embed.in_features * Embedding) + (4L * Hidden * (Embedding + Hidden))) + (Hidden * Fc.out_features);
}
