using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ServerlessVideo.Cli.Commands.Bench;

/// <summary>
/// <c>bench</c>: measures the pipeline against what its parts cost alone, each pair back to back in one run (the
/// machine is shared and noisy): a batch of short clips, one long 1080p video, inference per model, and peak memory
/// for a short and a long video. Prints a table of ratios and writes the numbers as JSON.
/// </summary>
public static class BenchCommand
{
    /// <summary>The scenarios in the order they run (inference reuses the batch's measurements).</summary>
    public static readonly IReadOnlyList<string> Scenarios = [BatchScenario.Name, InferenceScenario.Name, LongVideoScenario.Name, RssScenario.Name];

    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "small sizes for a smoke run: 8 clips, a 10 s 1080p video, 10 s vs 1 min for memory" };
        var only = new Option<string?>("--only")
        {
            Description = $"run only these scenarios, comma-separated: {string.Join(", ", Scenarios)}",
            HelpName = "NAME[,NAME]",
        };
        var output = new Option<FileInfo?>("--out")
        {
            Description = "where to write the JSON (default: .sv/bench/bench-<UTC time>.json in the sv state folder)",
            HelpName = "FILE",
        };
        var command = new Command("bench", "measure the pipeline against ffmpeg and bare ONNX Runtime, side by side; print ratios and write JSON")
        {
            quick, only, output,
        };
        // Settings pass through to the in-process host as --Section:Key=value.
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, ct) => RunAsync(
            parse.GetValue(quick), parse.GetValue(only), parse.GetValue(output), [.. parse.UnmatchedTokens], parse.InvocationConfiguration.Output, ct));
        return command;
    }

    /// <summary>The scenarios <paramref name="only"/> names, in run order; all when it is empty.</summary>
    public static IReadOnlyList<string> Select(string? only)
    {
        if (string.IsNullOrWhiteSpace(only))
        {
            return Scenarios;
        }

        var names = only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names.Where(n => !Scenarios.Contains(n, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
        {
            throw new CliException($"bench: unknown scenario '{string.Join("', '", unknown)}' (choose from {string.Join(", ", Scenarios)})");
        }

        return [.. Scenarios.Where(s => names.Contains(s, StringComparer.OrdinalIgnoreCase))];
    }

    private static async Task<int> RunAsync(bool quick, string? only, FileInfo? output, string[] hostArgs, TextWriter writer, CancellationToken cancellationToken)
    {
        var selected = Select(only);
        var total = Stopwatch.StartNew();
        var startedAt = DateTimeOffset.UtcNow;
        var azuritePid = int.TryParse(Environment.GetEnvironmentVariable("SV_AZURITE_PID"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) ? pid : (int?)null;
        var report = new BenchReport();
        writer.WriteLine($"sv bench{(quick ? " --quick" : string.Empty)}: {string.Join(", ", selected)} on {Environment.ProcessorCount} cores; starting the host in-process …");
        await using var host = await BenchHost.StartAsync(hostArgs, cancellationToken);
        var state = Environment.GetEnvironmentVariable("SV_STATE") is { Length: > 0 } s ? s : Path.GetDirectoryName(Path.GetFullPath(host.Pipeline.WorkFolder))!;
        var context = new BenchContext(host, report, writer, quick, state, azuritePid);
        if (azuritePid is null)
        {
            report.Note("SV_AZURITE_PID is not set: Azurite's CPU is not measured (./sv bench sets it).");
        }

        var failed = new JsonArray();
        BatchScenario.Result? batch = null;
        try
        {
            foreach (var scenario in selected)
            {
                try
                {
                    switch (scenario)
                    {
                        case BatchScenario.Name: batch = await BatchScenario.RunAsync(context, cancellationToken); break;
                        case InferenceScenario.Name: await InferenceScenario.RunAsync(context, batch, cancellationToken); break;
                        case LongVideoScenario.Name: await LongVideoScenario.RunAsync(context, cancellationToken); break;
                        case RssScenario.Name: await RssScenario.RunAsync(context, cancellationToken); break;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    context.Phase($"{scenario}: FAILED: {ex.Message}");
                    report.Note($"{scenario}: failed: {ex.GetType().Name}: {ex.Message}");
                    failed.Add(new JsonObject { ["scenario"] = scenario, ["error"] = $"{ex.GetType().Name}: {ex.Message}" });
                }
            }
        }
        finally
        {
            TryDelete(context.ScratchFolder);
        }

        var seconds = total.Elapsed.TotalSeconds;
        report.Json["startedAt"] = startedAt;
        report.Json["durationSeconds"] = BenchReport.Round(seconds);
        report.Json["quick"] = quick;
        report.Json["scenariosRun"] = new JsonArray([.. selected.Select(n => (JsonNode)n)]);
        report.Json["failed"] = failed;
        report.Json["machine"] = new JsonObject
        {
            ["processorCount"] = Environment.ProcessorCount,
            ["os"] = RuntimeInformation.OSDescription,
            ["runtime"] = RuntimeInformation.FrameworkDescription,
        };

        var path = output?.FullName ?? Path.Combine(state, "bench", $"bench-{startedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, report.Json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", cancellationToken);

        writer.WriteLine();
        writer.WriteLine(report.Render());
        writer.WriteLine();
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Bench finished in {seconds:0} s; JSON: {path}"));
        return failed.Count == 0 ? 0 : 1;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
