using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ServerlessVideo.Training.Export;

/// <summary>Reads trained tensors as row-major float arrays.</summary>
internal static class Weights
{
    public static float[] Of(Tensor t) => t.detach().cpu().contiguous().data<float>().ToArray();

    /// <summary>
    /// Folds eval-mode batch norm into the preceding bias-free convolution: W'ₒ = Wₒ·γₒ/√(σ²ₒ+ε), b'ₒ = βₒ − μₒ·γₒ/√(σ²ₒ+ε).
    /// </summary>
    public static (float[] Weight, float[] Bias) FoldBatchNorm(Conv2d conv, BatchNorm2d norm)
    {
        var w = Of(conv.weight!);
        var gamma = Of(norm.weight!);
        var beta = Of(norm.bias!);
        var mean = Of(norm.running_mean!);
        var variance = Of(norm.running_var!);
        var outChannels = gamma.Length;
        var perOut = w.Length / outChannels;
        var bias = new float[outChannels];
        for (var o = 0; o < outChannels; o++)
        {
            var scale = gamma[o] / MathF.Sqrt(variance[o] + (float)norm.eps);
            for (var i = 0; i < perOut; i++)
            {
                w[(o * perOut) + i] *= scale;
            }

            bias[o] = beta[o] - (mean[o] * scale);
        }

        return (w, bias);
    }

    /// <summary>
    /// PyTorch stacks LSTM gates as (input, forget, cell, output); ONNX as (input, output, forget, cell).
    /// Reorders the 4·H leading rows of <paramref name="rows"/> (each <paramref name="width"/> wide).
    /// </summary>
    public static float[] LstmGatesToOnnx(float[] rows, int hidden, int width)
    {
        var block = hidden * width;
        var result = new float[rows.Length];
        int[] fromTorch = [0, 3, 1, 2]; // ONNX gate k comes from PyTorch gate fromTorch[k]
        for (var k = 0; k < 4; k++)
        {
            Array.Copy(rows, fromTorch[k] * block, result, k * block, block);
        }

        return result;
    }
}
