using ServerlessVideo.Training.Export;
using ServerlessVideo.Training.Nets.Blocks;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ServerlessVideo.Training.Nets;

/// <summary>
/// A video classifier over one clip tensor per sample, in <see cref="Layout"/> ([N, T, C, H, W] or [N, C, T, H, W]),
/// returning logits [N, classes]; and its ONNX form, whose inputs <see cref="Feeds"/> derives from that clip.
/// </summary>
public abstract class VideoNet(string name) : Module<Tensor, Tensor>(name)
{
    /// <summary>Layout of the clip tensor: <c>NTCHW</c> or <c>NCTHW</c>.</summary>
    public virtual string Layout => "NTCHW";

    /// <summary>Channels per frame of the input stream: 3 for RGB, 2 for optical flow.</summary>
    public virtual int InputChannels => 3;

    /// <summary>Multiply-accumulates for one clip, counted by the blocks during one forward pass.</summary>
    public virtual long MacsPerClip(int frames, int size)
    {
        var training = this.training;
        eval();
        try
        {
            using var _ = no_grad();
            using var clip = zeros(ClipShape(1, frames, size));
            return MacCounter.Measure(() => call(clip).Dispose());
        }
        finally
        {
            train(training);
        }
    }

    /// <summary>Shape of a batch of <paramref name="batch"/> clips.</summary>
    public long[] ClipShape(long batch, int frames, int size) => Layout == "NCTHW"
        ? [batch, InputChannels, frames, size, size]
        : [batch, frames, InputChannels, size, size];

    /// <summary>The ONNX graph's inputs for a batch of clips: by default the clip itself, named <c>video</c>.</summary>
    public virtual IReadOnlyList<(string Name, Tensor Value)> Feeds(Tensor clips) => [(OnnxExporter.Input, clips)];

    /// <summary>The manifest's inputs for the ONNX graph's inputs.</summary>
    public virtual IReadOnlyList<Core.Manifests.ModelInput> ManifestInputs() => [new(OnnxExporter.Input, Layout)];

    /// <summary>Writes the network as ONNX nodes from the graph inputs (named as <see cref="Feeds"/>); returns the logits.</summary>
    public abstract string Export(GraphWriter w, int frames, int size);
}
