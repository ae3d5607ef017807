using System.IO.Compression;
using OpenCvSharp;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Media.Tests.Flow;

/// <summary>Synthetic frames with known motion, OpenCV's golden TV-L1 data, and error measures for flow fields.</summary>
internal static class FlowTestImages
{
    public static string OpenCvDataFolder => Path.Combine(RepoPaths.Root, "tests", "ServerlessVideo.Media.Tests", "Data", "opencv-tvl1");

    /// <summary>
    /// A smooth texture defined everywhere on the plane (a sum of 12 plane waves with periods 9–40 px), so a frame
    /// moved by a sub-pixel amount can be rendered exactly rather than interpolated.
    /// </summary>
    public static double Texture(double x, double y)
    {
        var v = 0.0;
        for (var k = 0; k < Waves.Length; k++)
        {
            var (cos, sin, period, phase) = Waves[k];
            v += Math.Sin((((cos * x) + (sin * y)) * 2 * Math.PI / period) + phase);
        }

        return 128 + (127 * v / 4.5);
    }

    private static readonly (double Cos, double Sin, double Period, double Phase)[] Waves = MakeWaves();

    private static (double, double, double, double)[] MakeWaves()
    {
        var random = new Random(7);
        return [.. Enumerable.Range(0, 12).Select(_ =>
        {
            var angle = random.NextDouble() * 2 * Math.PI;
            return (Math.Cos(angle), Math.Sin(angle), 9 + (random.NextDouble() * 31), random.NextDouble() * 2 * Math.PI);
        })];
    }

    /// <summary>8-bit frame n×n whose pixel (x, y) shows the texture at <paramref name="source"/>(x, y).</summary>
    public static byte[] Render(int n, Func<double, double, (double X, double Y)> source)
    {
        var image = new byte[n * n];
        for (var y = 0; y < n; y++)
        {
            for (var x = 0; x < n; x++)
            {
                var (sx, sy) = source(x, y);
                image[(y * n) + x] = (byte)Math.Clamp(Math.Round(Texture(sx, sy)), 0, 255);
            }
        }

        return image;
    }

    /// <summary>Mean end-point error against <paramref name="truth"/>, ignoring a border of <paramref name="margin"/> pixels.</summary>
    public static double MeanEndPointError(float[] flow, int n, Func<int, int, (double X, double Y)> truth, int margin)
    {
        double sum = 0;
        var count = 0;
        for (var y = margin; y < n - margin; y++)
        {
            for (var x = margin; x < n - margin; x++)
            {
                var (tx, ty) = truth(x, y);
                var i = (y * n) + x;
                sum += Math.Sqrt(Math.Pow(flow[2 * i] - tx, 2) + Math.Pow(flow[(2 * i) + 1] - ty, 2));
                count++;
            }
        }

        return sum / count;
    }

    /// <summary>An 8-bit grayscale image as OpenCV reads it (imread IMREAD_GRAYSCALE), with its size.</summary>
    public static (byte[] Pixels, int Width, int Height) ReadGray(string path)
    {
        using var mat = Cv2.ImRead(path, ImreadModes.Grayscale);
        Assert.False(mat.Empty(), "could not read " + path);
        return (mat.AsSpan<byte>().ToArray(), mat.Width, mat.Height);
    }

    /// <summary>A Middlebury .flo file (gzip-compressed): "PIEH" (202021.25f), int32 width, height, float32 x, y per pixel.</summary>
    public static (float[] Flow, int Width, int Height) ReadFloGz(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new BinaryReader(gzip);
        Assert.Equal(202021.25f, reader.ReadSingle());
        var width = reader.ReadInt32();
        var height = reader.ReadInt32();
        var flow = new float[2 * width * height];
        for (var i = 0; i < flow.Length; i++)
        {
            flow[i] = reader.ReadSingle();
        }

        return (flow, width, height);
    }
}
