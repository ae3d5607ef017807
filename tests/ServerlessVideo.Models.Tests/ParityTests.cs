using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Models.Tests;

/// <summary>
/// The ONNX writer reproduces each TorchSharp architecture: max |ONNX Runtime − TorchSharp| ≤ 1e-4 on random input, for
/// every recipe, and the recipes are exactly the built-in models committed under models/. Each TimeSformer's attention
/// steps, computed over token groups, equal the same steps as masked attention over the whole clip written from the
/// scheme's definition, with the relative time bias and gated MLP the recipes use and without them; and their training
/// step on two half batches at once gives the whole batch's gradients.
/// </summary>
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
        var recipes = RecipesLine().Match(output) is { Success: true } line
            ? line.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList()
            : throw new Xunit.Sdk.XunitException($"sv-train parity named no recipes:\n{output}");
        Assert.Equal(RepoPaths.BuiltInModelIds, recipes);
        // Besides every recipe, each TimeSformer without its optional block parts (id+plain).
        var timeSformers = recipes.Where(r => r.StartsWith("timesformer-", StringComparison.Ordinal)).ToList();
        var variants = timeSformers.Select(r => $"{r}+plain");
        var timeSformerLines = timeSformers.Concat(variants).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(recipes.Concat(variants).Order(StringComparer.Ordinal), diffs.Keys.Order(StringComparer.Ordinal));
        Assert.All(diffs.Values, d => Assert.InRange(d, 0, 1e-4));

        var grouping = GroupingLine().Matches(output).ToDictionary(m => m.Groups[1].Value, m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.Equal(timeSformerLines, grouping.Keys.Order(StringComparer.Ordinal));
        Assert.All(grouping.Values, d => Assert.InRange(d, 0, 1e-5));

        // Training runs the TimeSformers' blocks on two half batches at once: the same gradients as the whole batch.
        var halves = HalvesLine().Matches(output).ToDictionary(m => m.Groups[1].Value, m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.Equal(timeSformerLines, halves.Keys.Order(StringComparer.Ordinal));
        Assert.All(halves.Values, d => Assert.InRange(d, 0, 1e-5));
    }

    [GeneratedRegex(@"^(\S+)\s+max \|onnx - torch\| = (\S+) ", RegexOptions.Multiline)]
    private static partial Regex DiffLine();

    [GeneratedRegex(@"^(\S+)\s+max \|groups - masked joint\| = (\S+)$", RegexOptions.Multiline)]
    private static partial Regex GroupingLine();

    [GeneratedRegex(@"^(\S+)\s+max \|half batches - whole batch\| gradient = (\S+) ", RegexOptions.Multiline)]
    private static partial Regex HalvesLine();

    [GeneratedRegex(@"^recipes: (.+)$", RegexOptions.Multiline)]
    private static partial Regex RecipesLine();
}
