using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ServerlessVideo.Training.Nets;

/// <summary>
/// NetVLAD pooling (Arandjelović et al.; ActionVLAD over space-time): every local CNN descriptor x_i of every frame is
/// softly assigned to K learnable centres, a_ik = softmax_k(w_k·x_i + b_k); the residuals are summed per centre,
/// V_k = Σ_i a_ik (x_i − c_k), each V_k is L2-normalised (intra-normalisation), then the whole K·D vector is
/// L2-normalised and classified. Orderless: shuffling frames changes nothing.
/// </summary>
public sealed class NetVladNet : FrameCnnNet
{
    public const int Clusters = 8;

    public NetVladNet(int classes) : base(nameof(NetVladNet))
    {
        Cnn = new FrameCnn();
        var d = FrameCnn.OutChannels;
        Assign = Linear(d, Clusters);
        Centres = Parameter(torch.randn(Clusters, d) * 0.1f);
        Fc = Linear(Clusters * d, classes);
        RegisterComponents();
    }

    public override FrameCnn Cnn { get; }

    public Linear Assign { get; }

    public Parameter Centres { get; }

    public Linear Fc { get; }

    public override Tensor forward(Tensor x)
    {
        var (n, t) = (x.shape[0], x.shape[1]);
        var maps = FrameMaps(x);                                                                // [N·T, D, h, w]
        var d = maps.shape[1];
        var local = maps.reshape(n, t, d, -1).permute(0, 1, 3, 2).reshape(n, -1, d);          // [N, M, D]
        var a = functional.softmax(Assign.call(local), 2);                                     // [N, M, K]
        var aggregated = a.transpose(1, 2).matmul(local) - (a.sum(1).unsqueeze(2) * Centres);  // [N, K, D]
        var intra = functional.normalize(aggregated, p: 2, dim: 2);
        var vlad = functional.normalize(intra.reshape(n, -1), p: 2, dim: 1);
        return Fc.call(vlad);
    }

    public override long MacsPerClip(int frames, int size)
    {
        var d = (long)FrameCnn.OutChannels;
        var m = frames * (size / 16) * (size / 16);
        return (frames * FrameCnn.MacsPerFrame(size)) + (2 * m * d * Clusters) + (Clusters * d * Fc.out_features);
    }
}
