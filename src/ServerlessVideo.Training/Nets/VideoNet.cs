using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ServerlessVideo.Training.Nets;

/// <summary>A video classifier over clips [N, T, 3, H, W] (NTCHW) returning logits [N, classes], built on the shared per-frame CNN.</summary>
public abstract class VideoNet(string name) : Module<Tensor, Tensor>(name)
{
    /// <summary>The per-frame CNN every frame goes through.</summary>
    public abstract FrameCnn Cnn { get; }

    /// <summary>Multiply-accumulates for one clip of <paramref name="frames"/> frames of <paramref name="size"/>².</summary>
    public abstract long MacsPerClip(int frames, int size);

    /// <summary>Every frame of every clip through the CNN: [N, T, 3, H, W] → [N·T, 96, H/16, W/16].</summary>
    protected Tensor FrameMaps(Tensor clips) =>
        Cnn.call(clips.reshape(clips.shape[0] * clips.shape[1], clips.shape[2], clips.shape[3], clips.shape[4]));
}
