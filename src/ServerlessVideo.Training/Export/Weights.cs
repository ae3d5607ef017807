using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ServerlessVideo.Training.Export;

/// <summary>Reads trained tensors as row-major float arrays.</summary>
public static class Weights
{
    public static float[] Of(Tensor t) => t.detach().cpu().contiguous().data<float>().ToArray();

    /// <summary>
    /// Folds eval-mode batch norm into the preceding bias-free convolution: W'ₒ = Wₒ·γₒ/√(σ²ₒ+ε), b'ₒ = βₒ − μₒ·γₒ/√(σ²ₒ+ε).
    /// </summary>
    public static (float[] Weight, float[] Bias) FoldBatchNorm(Conv2d conv, BatchNorm2d norm) => FoldBatchNorm(conv.weight!, norm);

    /// <summary>The same fold for a convolution weight of any rank and a BatchNorm1d/2d/3d module.</summary>
    public static (float[] Weight, float[] Bias) FoldBatchNorm(Tensor convWeight, TorchSharp.torch.nn.Module norm)
    {
        var state = norm.state_dict();
        var w = Of(convWeight);
        var gamma = Of(state["weight"]);
        var beta = Of(state["bias"]);
        var mean = Of(state["running_mean"]);
        var variance = Of(state["running_var"]);
        var eps = norm switch
        {
            BatchNorm1d b => b.eps,
            BatchNorm2d b => b.eps,
            BatchNorm3d b => b.eps,
            _ => throw new ArgumentException($"{norm.GetType().Name} is not a batch norm.", nameof(norm)),
        };
        var outChannels = gamma.Length;
        var perOut = w.Length / outChannels;
        var bias = new float[outChannels];
        for (var o = 0; o < outChannels; o++)
        {
            var scale = gamma[o] / MathF.Sqrt(variance[o] + (float)eps);
            for (var i = 0; i < perOut; i++)
            {
                w[(o * perOut) + i] *= scale;
            }

            bias[o] = beta[o] - (mean[o] * scale);
        }

        return (w, bias);
    }

    /// <summary>Transposes a row-major <paramref name="rows"/> × <paramref name="cols"/> matrix.</summary>
    public static float[] Transpose(float[] m, int rows, int cols)
    {
        var t = new float[m.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
            {
                t[(c * rows) + r] = m[(r * cols) + c];
            }
        }

        return t;
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
