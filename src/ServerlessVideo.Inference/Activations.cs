using System.Numerics.Tensors;

namespace ServerlessVideo.Inference;

/// <summary>Output activations named in manifests, applied in place to one row of class scores.</summary>
public static class Activations
{
    public static void Apply(string activation, Span<float> scores)
    {
        switch (activation)
        {
            case "softmax":
                TensorPrimitives.SoftMax(scores, scores);
                break;
            case "sigmoid":
                TensorPrimitives.Sigmoid(scores, scores);
                break;
            case "none":
                break;
            default:
                throw new ArgumentException($"Unknown output activation '{activation}'.", nameof(activation));
        }
    }
}
