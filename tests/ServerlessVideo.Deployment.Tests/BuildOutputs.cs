using System.Reflection;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Deployment.Tests;

/// <summary>Paths of what the build produced, read by the tests rather than assumed.</summary>
public static class BuildOutputs
{
    public static string Configuration => Metadata("Configuration");

    public static string BicepPath => Metadata("BicepPath");

    public static string FunctionsBin => Path.Combine(RepoPaths.Root, "src", "ServerlessVideo.Functions", "bin", Configuration, "net10.0");

    private static string Metadata(string key) =>
        typeof(BuildOutputs).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"No build metadata '{key}'.");
}
