using ServerlessVideo.Training.Export;
using static TorchSharp.torch;

namespace ServerlessVideo.Training.Nets;

/// <summary>A frame-level family built on the shared per-frame 2D CNN (TSN, NetVLAD, CNN + LSTM).</summary>
public abstract class FrameCnnNet(string name) : VideoNet(name)
{
    /// <summary>The per-frame CNN every frame goes through.</summary>
    public abstract FrameCnn Cnn { get; }

    /// <summary>Multiply-accumulates for one clip of <paramref name="frames"/> frames of <paramref name="size"/>², counted analytically.</summary>
    public abstract override long MacsPerClip(int frames, int size);

    public override string Export(GraphWriter w, int frames, int size) => OnnxExporter.FrameLevel(w, this, frames, size);

    /// <summary>Every frame of every clip through the CNN: [N, T, 3, H, W] → [N·T, 96, H/16, W/16].</summary>
    protected Tensor FrameMaps(Tensor clips) =>
        Cnn.call(clips.reshape(clips.shape[0] * clips.shape[1], clips.shape[2], clips.shape[3], clips.shape[4]));
}
