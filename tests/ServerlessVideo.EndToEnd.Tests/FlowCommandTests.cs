using System.Diagnostics;
using ServerlessVideo.Testing;

namespace ServerlessVideo.EndToEnd.Tests;

public sealed class FlowCommandTests
{
    [Fact]
    public async Task Flow_writes_one_colour_wheel_png_per_frame_pair_of_a_real_video()
    {
        using var temp = new TempFolder();
        var video = await TestVideos.ColourAsync(temp.Path, "blue", 320, 240, 25, 3);
        var output = Path.Combine(temp.Path, "pictures");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { CliProcess.Dll, "flow", video, "--size", "96", "--pairs", "3", "--start", "0.5", "--bound", "8", "--out", output })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var text = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);

        Assert.True(process.ExitCode == 0, text);
        var pngs = Directory.GetFiles(output, "flow-*.png").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(3, pngs.Count);
        Assert.All(pngs, p => Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, File.ReadAllBytes(p)[..4]));
        Assert.Contains("tvl1 flow, 96²", text);
    }

    [Fact]
    public async Task An_unknown_algorithm_is_a_clear_error()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { CliProcess.Dll, "flow", CliProcess.Dll, "--algorithm", "lucas-kanade" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token);
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("unknown flow algorithm 'lucas-kanade'", error);
    }
}
