using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Models.Tests;

/// <summary>The ONNX writer reproduces each TorchSharp architecture: max |ONNX Runtime − TorchSharp| ≤ 1e-4 on random input.</summary>
public sealed partial class ParityTests
{
    [Fact]
    public async Task Every_architecture_exports_to_onnx_within_1e_4()
    {
        var tfm = new DirectoryInfo(AppContext.BaseDirectory);
        var dll = Path.Combine(RepoPaths.Root, "src", "ServerlessVideo.Training", "bin", tfm.Parent!.Name, tfm.Name, "sv-train.dll");
        Assert.True(File.Exists(dll), $"sv-train not built at {dll}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("parity");
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(5)).Token);

        var diffs = DiffLine().Matches(output).ToDictionary(m => m.Groups[1].Value, m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.True(process.ExitCode == 0, $"sv-train parity exited with {process.ExitCode}:\n{output}");
        Assert.Equal(
            [
                "c3d-synthmotion", "cnn-lstm-synthmotion", "i3d-synthmotion", "netvlad-synthmotion", "r2plus1d-synthmotion",
                "slowfast-synthmotion", "timesformer-axial-synthmotion", "timesformer-divided-synthmotion", "timesformer-joint-synthmotion",
                "timesformer-local-global-synthmotion", "timesformer-space-synthmotion", "tsn-synthmotion", "two-stream-synthmotion",
                "video-swin-synthmotion",
            ],
            diffs.Keys.Order(StringComparer.Ordinal));
        Assert.All(diffs.Values, d => Assert.InRange(d, 0, 1e-4));
    }

    [GeneratedRegex(@"^(\S+)\s+max \|onnx - torch\| = (\S+) ", RegexOptions.Multiline)]
    private static partial Regex DiffLine();
}
