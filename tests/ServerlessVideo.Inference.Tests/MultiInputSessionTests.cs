using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Core.Tensors;
using ServerlessVideo.Onnx;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Inference.Tests;

public sealed class MultiInputSessionTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private ModelRegistry Registry(Action<JsonObject>? edit = null)
    {
        var dir = Path.Combine(_temp.Path, StreamMeansModel.Id);
        StreamMeansModel.WriteTo(dir);
        if (edit is not null)
        {
            ManifestFile.Edit(dir, edit);
        }

        return new ModelRegistry(new InferenceOptions { ModelsPath = _temp.Path }, NullLogger<ModelRegistry>.Instance);
    }

    /// <summary>Frame t is (40·t + offset, 10, 0) everywhere.</summary>
    private static ClipTensor Ramp(int offset)
    {
        const int s = StreamMeansModel.CropSize;
        var data = new byte[StreamMeansModel.ClipLength * s * s * 3];
        for (var t = 0; t < StreamMeansModel.ClipLength; t++)
        {
            for (var i = 0; i < s * s; i++)
            {
                data[(((t * s * s) + i) * 3) + 0] = (byte)((40 * t) + offset);
                data[(((t * s * s) + i) * 3) + 1] = 10;
            }
        }

        return new ClipTensor(StreamMeansModel.ClipLength, s, s, data);
    }

    private static ClipTensor Flow(byte x, byte y)
    {
        const int s = StreamMeansModel.CropSize;
        var data = new byte[(StreamMeansModel.ClipLength - 1) * s * s * 2];
        for (var i = 0; i < data.Length; i += 2)
        {
            (data[i], data[i + 1]) = (x, y);
        }

        return new ClipTensor(StreamMeansModel.ClipLength - 1, s, s, ClipTensor.FlowChannels, data);
    }

    [Fact]
    public void Strided_rgb_and_normalised_flow_are_fused_with_the_manifest_weights()
    {
        using var registry = Registry();
        var session = registry.Session(StreamMeansModel.Id);
        Assert.Equal(["rgb", "flow-farneback-b4"], session.StreamKeys);
        var result = session.Run(new Dictionary<string, IReadOnlyList<ClipTensor>>
        {
            ["rgb"] = [Ramp(0), Ramp(20)],
            ["flow-farneback-b4"] = [Flow(191, 64), Flow(128, 128)],
        });

        for (var c = 0; c < 2; c++)
        {
            // Slow frames 0 and 2 only: red (0 + 80) / 2 + offset, not the all-frame mean (0 + 40 + 80 + 120) / 4.
            var red = ((80 / 2.0) + (20 * c)) / 255;
            var (fx, fy) = c == 0 ? ((191 / 255.0) - 0.5, (64 / 255.0) - 0.5) : ((128 / 255.0) - 0.5, (128 / 255.0) - 0.5);
            double[] expected = [(red + (3 * fx / 0.5)) / 4, ((10 / 255.0) + (3 * fy / 0.5)) / 4, 0];
            for (var k = 0; k < 3; k++)
            {
                Assert.Equal(expected[k], result[c][k], 4);
            }
        }
    }

    [Fact]
    public void Missing_or_uneven_streams_are_clear_errors()
    {
        using var registry = Registry();
        var session = registry.Session(StreamMeansModel.Id);
        Assert.Contains("flow-farneback-b4", Assert.Throws<ArgumentException>(() => session.Run([Ramp(0)])).Message);
        Assert.Contains("one tensor per clip", Assert.Throws<ArgumentException>(() => session.Run(new Dictionary<string, IReadOnlyList<ClipTensor>>
        {
            ["rgb"] = [Ramp(0), Ramp(0)],
            ["flow-farneback-b4"] = [Flow(0, 0)],
        })).Message);
    }

    [Fact]
    public void A_manifest_whose_stride_does_not_match_the_graph_is_refused_at_load()
    {
        using var registry = Registry(m => m["inputs"]![0]!["frameStride"] = 1);
        var ex = Assert.Throws<ManifestException>(() => registry.Session(StreamMeansModel.Id));
        Assert.Contains("input 'slow' dimension 2 is 2 but the manifest implies 4", ex.Message);
    }

    [Fact]
    public void A_fused_output_missing_from_the_graph_is_refused_at_load()
    {
        using var registry = Registry(m => m["output"]!["fusion"]![1]!["name"] = "nope");
        Assert.Contains("output 'nope' is not in the ONNX graph", Assert.Throws<ManifestException>(() => registry.Session(StreamMeansModel.Id)).Message);
    }
}
