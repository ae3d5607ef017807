using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ServerlessVideo.Onnx;
using ServerlessVideo.Testing;

namespace ServerlessVideo.EndToEnd.Tests;

/// <summary>
/// <c>./sv serve</c>, <c>submit</c>, <c>status</c> and <c>list</c> driven as processes, with signals: the host on a
/// port of its own, one owner of the data folder, and a Ctrl-C or SIGTERM that stops the host and then Azurite.
/// </summary>
public sealed class ServeScriptTests : IDisposable
{
    private static readonly TimeSpan Start = TimeSpan.FromSeconds(90);
    private readonly TempFolder _temp = new();
    private readonly Dictionary<string, string> _env;
    private readonly int _port = Azurite.FreePort();

    public ServeScriptTests()
    {
        var models = Path.Combine(_temp.Path, "models");
        ColourMeanModel.WriteTo(Path.Combine(models, ColourMeanModel.Id));
        _env = new Dictionary<string, string>
        {
            ["SV_STATE"] = Path.Combine(_temp.Path, "state"),
            ["Inference__ModelsPath"] = models,
            ["Logging__LogLevel__Default"] = "Warning",
        };
    }

    private string Url => $"http://127.0.0.1:{_port}";

    private string State => _env["SV_STATE"];

    /// <summary>Whatever a failed test left running in this test's data folder is stopped: nothing outlives the run.</summary>
    public void Dispose()
    {
        foreach (var file in new[] { "host.pid", "azurite/azurite.pid" }.Select(f => Path.Combine(State, f)).Where(File.Exists))
        {
            if (int.TryParse(File.ReadAllText(file).Trim(), out var pid) && SvScript.IsAlive(pid))
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }
        }

        _temp.Dispose();
    }

    [Fact]
    public async Task Serve_on_its_own_port_is_found_by_submit_status_and_list_and_a_second_serve_is_refused()
    {
        using var serve = SvScript.Start(_env, "serve", "--urls", Url);
        await serve.WaitForOutputAsync($"listening on {Url}", Start);
        Assert.Equal(Url, (await File.ReadAllTextAsync(Path.Combine(State, "api-url"))).Trim());

        var (second, secondOutput) = await SvScript.RunAsync(_env, TimeSpan.FromSeconds(60), "serve");
        Assert.NotEqual(0, second);
        Assert.Contains("is using", secondOutput, StringComparison.Ordinal);
        Assert.True(SvScript.IsAlive(Pid("azurite/azurite.pid")), "the second serve must leave the first one's Azurite alone");

        var video = await TestVideos.ColourAsync(_temp.Path, "green", 160, 120, 25, 1);
        var (submitted, submitOutput) = await SvScript.RunAsync(_env, TimeSpan.FromMinutes(2), "submit", video, "--wait");
        Assert.True(submitted == 0, submitOutput);
        Assert.Contains($"{Url}/api/videos/", submitOutput, StringComparison.Ordinal);
        var id = submitOutput.Split('\n').First(l => l.Contains("/api/videos/", StringComparison.Ordinal)).Split(' ')[0];

        var (status, statusOutput) = await SvScript.RunAsync(_env, TimeSpan.FromSeconds(60), "status", id);
        Assert.True(status == 0, statusOutput);
        Assert.Contains("green", statusOutput, StringComparison.Ordinal);
        Assert.Contains("labels over time", statusOutput, StringComparison.Ordinal);
        var (list, listOutput) = await SvScript.RunAsync(_env, TimeSpan.FromSeconds(60), "list");
        Assert.True(list == 0, listOutput);
        Assert.Contains(id, listOutput, StringComparison.Ordinal);

        using var http = new HttpClient();
        var body = await http.GetFromJsonAsync<JsonObject>($"{Url}/api/videos/{id}");
        Assert.Equal("Completed", body!["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("INT", true)]   // Ctrl-C in a terminal: SIGINT to the whole foreground process group
    [InlineData("TERM", false)] // a service manager: SIGTERM to the script alone
    public async Task A_stop_signal_ends_the_host_then_azurite_within_seconds_and_leaves_nothing_behind(string signal, bool toGroup)
    {
        using var serve = SvScript.Start(_env, "serve", "--urls", Url);
        await serve.WaitForOutputAsync($"listening on {Url}", Start);
        var azurite = Pid("azurite/azurite.pid");
        var host = Pid("host.pid");

        var watch = System.Diagnostics.Stopwatch.StartNew();
        if (toGroup)
        {
            serve.SignalGroup(signal);
        }
        else
        {
            using var kill = System.Diagnostics.Process.Start("kill", ["-" + signal, serve.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        }

        await serve.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"stopping took {watch.Elapsed}:\n{serve.Output}");
        Assert.False(SvScript.IsAlive(host), "host still running");
        Assert.False(SvScript.IsAlive(azurite), "Azurite still running");
        Assert.False(File.Exists(Path.Combine(State, "connection")), "connection file left behind");
        Assert.False(File.Exists(Path.Combine(State, "api-url")), "api-url file left behind");
        Assert.Contains("stopping the host", serve.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stop_after_storage_died_under_the_host_still_ends_within_seconds()
    {
        using var serve = SvScript.Start(_env, "serve", "--urls", Url);
        await serve.WaitForOutputAsync($"listening on {Url}", Start);
        var host = Pid("host.pid");
        using (var azurite = System.Diagnostics.Process.GetProcessById(Pid("azurite/azurite.pid")))
        {
            azurite.Kill();
            await azurite.WaitForExitAsync();
        }

        await Task.Delay(TimeSpan.FromSeconds(3)); // the worker now fails to reach its partition table
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", serve.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await serve.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"stopping without storage took {watch.Elapsed}:\n{serve.Output}");
        Assert.False(SvScript.IsAlive(host), "host still running");
    }

    [Fact]
    public async Task Help_needs_no_running_host_and_an_unknown_command_says_so()
    {
        var (help, helpOutput) = await SvScript.RunAsync(_env, TimeSpan.FromSeconds(60), "submit", "--help");
        Assert.True(help == 0, helpOutput);
        Assert.Contains("--overwrite", helpOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("no running host", helpOutput, StringComparison.Ordinal);

        var (unknown, unknownOutput) = await SvScript.RunAsync(_env, TimeSpan.FromSeconds(60), "bogus");
        Assert.Equal(2, unknown);
        Assert.Contains("unknown command 'bogus'", unknownOutput, StringComparison.Ordinal);

        var (noHost, noHostOutput) = await SvScript.RunAsync(_env, TimeSpan.FromSeconds(60), "submit", "clip.mp4");
        Assert.NotEqual(0, noHost);
        Assert.Contains("no running host", noHostOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_passes_its_commands_through_as_the_readme_shows()
    {
        var samples = Path.Combine(_temp.Path, "samples");
        var (videos, videosOutput) = await SvScript.RunAsync(_env, TimeSpan.FromMinutes(3), "train", "synth-videos", samples, "1");
        Assert.True(videos == 0, videosOutput);
        Assert.Equal(12, Directory.GetFiles(samples).Length); // one per SynthMotion class

        var (list, listOutput) = await SvScript.RunAsync(_env, TimeSpan.FromMinutes(1), "train");
        Assert.True(list == 0, listOutput);
        Assert.Contains("c3d-synthmotion", listOutput, StringComparison.Ordinal);

        var (evaluate, evaluateOutput) = await SvScript.RunAsync(_env, TimeSpan.FromMinutes(3), "train", "evaluate", "c3d-synthmotion", "test", "12");
        Assert.True(evaluate == 0, evaluateOutput);
        Assert.Contains("c3d-synthmotion on 12 Test videos", evaluateOutput, StringComparison.Ordinal);
    }

    private int Pid(string file) => int.Parse(File.ReadAllText(Path.Combine(State, file)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
}
