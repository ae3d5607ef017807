using ServerlessVideo.Training.Export;
using ServerlessVideo.Training.Nets.Blocks;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ServerlessVideo.Training.Nets;

/// <summary>
/// The temporal stream of a two-stream network (Simonyan and Zisserman 2014): L optical-flow fields stacked as 2L
/// input channels (x₁, y₁, x₂, y₂, …) into a 2D CNN of the frame CNN's widths, average-pooled and classified. Input
/// NTCHW [N, L, 2, S, S]; the graph merges the second and third axes into the stack.
/// </summary>
public sealed class FlowStackNet : VideoNet
{
    public FlowStackNet(int classes, int flows) : base(nameof(FlowStackNet))
    {
        int[] channels = [2 * flows, .. FrameCnn.Channels[1..]];
        for (var i = 0; i < channels.Length - 1; i++)
        {
            Convs.Add(Conv2d(channels[i], channels[i + 1], 3, stride: 2, padding: 1, bias: false));
            Norms.Add(BatchNorm2d(channels[i + 1]));
        }

        Dropout = nn.Dropout(0.3);
        Fc = Linear(channels[^1], classes);
        RegisterComponents();
    }

    public ModuleList<Conv2d> Convs { get; } = new();

    public ModuleList<BatchNorm2d> Norms { get; } = new();

    public Linear Fc { get; }

    private Dropout Dropout { get; }

    public override int InputChannels => 2;

    public const string FlowInput = "flow";

    public override IReadOnlyList<(string Name, Tensor Value)> Feeds(Tensor clips) => [(FlowInput, clips)];

    /// <summary>The flow input without its flow settings, which belong to the model that uses the stream (see TwoStreamNet).</summary>
    public override IReadOnlyList<Core.Manifests.ModelInput> ManifestInputs() => [new(FlowInput, Layout, Core.Manifests.ModelInput.FlowStream)];

    public override Tensor forward(Tensor x)
    {
        x = x.reshape(x.shape[0], x.shape[1] * x.shape[2], x.shape[3], x.shape[4]);
        for (var i = 0; i < Convs.Count; i++)
        {
            var y = Norms[i].call(Convs[i].call(x));
            MacCounter.Add(y.numel() * Convs[i].in_channels * 9);
            x = functional.relu(y);
        }

        MacCounter.Add(x.shape[0] * Fc.in_features * Fc.out_features);
        return Fc.call(Dropout.call(x.mean([2, 3])));
    }

    public override string Export(GraphWriter w, int frames, int size)
    {
        ArgumentNullException.ThrowIfNull(w);
        var x = w.Reshape(FlowInput, -1, Convs[0].in_channels, size, size);
        for (var i = 0; i < Convs.Count; i++)
        {
            x = w.Relu(w.ConvBn(x, Convs[i].weight!, [2, 2], [1, 1], Norms[i]));
        }

        return w.Linear(w.Mean(x, 2, 3), Fc);
    }
}
