using ServerlessVideo.Testing;

namespace ServerlessVideo.EndToEnd.Tests;

/// <summary>
/// A user's torchvision export, as a user adds and runs it: <c>sv models add FILE --preset torchvision/r3d_18</c> (no
/// manifest written by hand), <c>sv models list</c>, then <c>sv submit --models kinetics-400 --wait</c> against a host
/// that also serves a model of another label space.
/// </summary>
public sealed class BringYourOwnModelTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task An_export_added_with_a_preset_classifies_a_submitted_video_in_its_own_label_space()
    {
        await using var env = new HostEnvironment();
        var settings = new Dictionary<string, string>(env.Settings) { ["Inference__PresetsPath"] = RepoPaths.Models };
        var onnx = Path.Combine(RepoPaths.Root, "tests", "ServerlessVideo.Inference.Tests", "Data", "torchvision", "r3d_18-w8.onnx");

        var (code, output, error) = await CliProcess.RunAsync(settings, Timeout, "models", "add", onnx, "--preset", "torchvision/r3d_18");
        Assert.True(code == 0, output + error);
        Assert.Contains("added r3d-18-kinetics-400", output, StringComparison.Ordinal);
        Assert.Contains("label space    kinetics-400 (400 labels: abseiling", output, StringComparison.Ordinal);
        Assert.Contains("torchvision 128×171 bilinear, crop 112", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(env.ModelsPath, "r3d-18-kinetics-400", "manifest.json")));

        (code, output, error) = await CliProcess.RunAsync(settings, Timeout, "models", "add", onnx, "--preset", "torchvision/r3d_18");
        Assert.Equal(2, code);
        Assert.Contains("exists already", error, StringComparison.Ordinal);

        (code, output, error) = await CliProcess.RunAsync(settings, Timeout, "models", "list");
        Assert.True(code == 0, output + error);
        var lines = output.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("r3d-18-kinetics-400", StringComparison.Ordinal) && l.Contains("kinetics-400 (400)", StringComparison.Ordinal)
            && l.Contains("video NCTHW N×3×16×112×112", StringComparison.Ordinal) && l.Contains("CPUExecutionProvider", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("colour-mean", StringComparison.Ordinal));

        using var host = new HostProcess(env.Settings);
        await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        var clip = Path.Combine(RepoPaths.Root, "tests", "ServerlessVideo.Media.Tests", "Data", "presets", "clip.mp4");
        (code, output, error) = await CliProcess.RunAsync(settings, Timeout, "submit", clip, "--models", "kinetics-400", "--wait", "--api", host.BaseUrl);
        Assert.True(code == 0, output + error);
        var id = output.Split('\n').First(l => l.Contains("/api/videos/", StringComparison.Ordinal)).Split(' ')[0];

        var video = await host.WaitForAsync(id, HostProcess.IsFinal, Timeout);
        Assert.True(video["status"]!.GetValue<string>() == "Completed", video.ToJsonString());
        Assert.Equal(["r3d-18-kinetics-400"], video["models"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
        Assert.Equal("kinetics-400", video["labelSpace"]!.GetValue<string>());
        var block = Assert.Single(video["consensus"]!.AsArray())!;
        Assert.Equal("kinetics-400", block["labelSpace"]!.GetValue<string>());
        var labels = File.ReadAllLines(Path.Combine(RepoPaths.Models, "labels", "kinetics-400.txt"));
        Assert.Contains(video["labels"]![0]!["label"]!.GetValue<string>(), labels);
    }
}
