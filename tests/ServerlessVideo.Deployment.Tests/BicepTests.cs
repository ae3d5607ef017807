using ServerlessVideo.Testing;

namespace ServerlessVideo.Deployment.Tests;

/// <summary>The infrastructure compiles and lints clean with the bicep CLI from NuGet, offline.</summary>
public sealed class BicepTests
{
    public static IEnumerable<object[]> Templates => [["main.bicep"], ["app/events.bicep"]];

    private static async Task<(int ExitCode, string Output)> BicepAsync(params string[] args)
    {
        var bicep = BuildOutputs.BicepPath;
        Assert.True(File.Exists(bicep), $"bicep CLI not restored at {bicep}");
        if (!OperatingSystem.IsWindows())
        {
            // NuGet does not keep the execute bit of files it extracts.
            File.SetUnixFileMode(bicep, File.GetUnixFileMode(bicep) | UnixFileMode.UserExecute);
        }
        return await ProcessRunner.RunAsync(bicep, args, TimeSpan.FromMinutes(2), workingDirectory: Path.Combine(RepoPaths.Root, "infra"));
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public async Task Builds_without_errors_or_warnings(string template)
    {
        var (code, output) = await BicepAsync("build", template, "--stdout");
        Assert.Equal(0, code);
        Assert.DoesNotContain("Warning", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Error", output, StringComparison.Ordinal);
        Assert.Contains("\"$schema\"", output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public async Task Lints_clean(string template)
    {
        var (code, output) = await BicepAsync("lint", template);
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, output.Trim());
    }

    [Fact]
    public void No_registry_modules_which_cannot_restore_offline()
    {
        var files = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "infra"), "*.bicep", SearchOption.AllDirectories);
        Assert.All(files, f => Assert.DoesNotContain("br/public:", File.ReadAllText(f), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Storage_refuses_shared_keys_and_role_assignment_names_are_deterministic()
    {
        var (_, json) = await BicepAsync("build", "app/storage.bicep", "--stdout");
        Assert.Contains("\"allowSharedKeyAccess\": false", json, StringComparison.Ordinal);
        Assert.Contains("[guid(resourceId('Microsoft.Storage/storageAccounts', parameters('name')), parameters('principalId'), ", json, StringComparison.Ordinal);
        var (_, gpu) = await BicepAsync("build", "app/gpu.bicep", "--stdout");
        Assert.Contains("Consumption-GPU-NC8as-T4", gpu, StringComparison.Ordinal);
    }
}
