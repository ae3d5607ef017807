using System.Diagnostics;
using ServerlessVideo.Testing;

namespace ServerlessVideo.EndToEnd.Tests;

/// <summary>A truncated <c>model.onnx</c> next to a good model: the host serves the good one and says which did not run.</summary>
public sealed class UnavailableModelTests
{
    private const string Broken = "tsn-synthmotion";

    [Fact]
    public async Task A_host_with_a_truncated_model_serves_with_the_others_and_reports_it_unavailable()
    {
        await using var env = new HostEnvironment();
        ModelCopies.CopyTruncated(Broken, env.ModelsPath);
        using var host = new HostProcess(env.Settings);
        await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));

        var (status, health) = await host.GetAsync("/api/health");
        Assert.Equal(200, status);
        Assert.Equal("degraded", health!["status"]!.GetValue<string>());
        Assert.Equal(1, health["models"]!["available"]!.GetValue<int>());
        var unavailable = Assert.Single(health["models"]!["unavailable"]!.AsArray())!;
        Assert.Equal(Broken, unavailable["id"]!.GetValue<string>());
        Assert.Equal("MODEL_UNAVAILABLE", unavailable["reasonCode"]!.GetValue<string>());
        Assert.Contains("Protobuf parsing failed", unavailable["message"]!.GetValue<string>());

        var id = await env.UploadAsync(await TestVideos.ColourAsync(env.Scratch, "red", 160, 120, 25, 2));
        var video = await host.WaitForAsync(id, HostProcess.IsFinal, TimeSpan.FromMinutes(2));
        Assert.True(video["status"]!.GetValue<string>() == "Completed", video.ToJsonString());
        Assert.Equal("red", video["labels"]![0]!["label"]!.GetValue<string>());
        Assert.Equal(["colour-mean"], video["models"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
        var skipped = Assert.Single(video["unavailableModels"]!.AsArray())!;
        Assert.Equal(Broken, skipped["id"]!.GetValue<string>());
        Assert.Equal("MODEL_UNAVAILABLE", skipped["reasonCode"]!.GetValue<string>());

        // Logged once, at start, not once per video.
        Assert.Single(host.Output.Split('\n'), l => l.Contains($"Model {Broken} is unavailable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_models_lists_every_model_and_exits_1_when_one_is_unavailable()
    {
        using var temp = new TempFolder();
        ModelCopies.Copy("netvlad-synthmotion", temp.Path);
        ModelCopies.CopyTruncated(Broken, temp.Path);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(HostProcess.HostDll);
        start.ArgumentList.Add("check-models");
        start.Environment["Inference__ModelsPath"] = temp.Path;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token);
        var text = await stdout + await stderr;

        Assert.True(process.ExitCode == 1, text);
        var lines = (await stdout).Split('\n');
        Assert.Contains(lines, l => l.StartsWith("netvlad-synthmotion", StringComparison.Ordinal) && l.Contains("CPUExecutionProvider", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith(Broken, StringComparison.Ordinal) && l.Contains("MODEL_UNAVAILABLE", StringComparison.Ordinal) && l.Contains("Protobuf parsing failed", StringComparison.Ordinal));
    }
}
