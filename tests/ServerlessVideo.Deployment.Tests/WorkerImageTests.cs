using System.Text.RegularExpressions;
using System.Xml.Linq;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Deployment.Tests;

/// <summary>
/// The GPU worker image (src/ServerlessVideo.Host/Dockerfile) cannot be built here (no Docker engine), so what can be
/// checked is checked: it publishes the worker host with the same GPU switch the GPU variant test builds with, runs the
/// assembly that project produces, starts it the way gpu.bicep does, and agrees with the Bicep's settings; the worker
/// host does not carry the test-model writer.
/// </summary>
public sealed partial class WorkerImageTests
{
    private static readonly string HostFolder = Path.Combine(RepoPaths.Root, "src", "ServerlessVideo.Host");
    private static readonly string Dockerfile = File.ReadAllText(Path.Combine(HostFolder, "Dockerfile"));
    private static readonly string GpuBicep = File.ReadAllText(Path.Combine(RepoPaths.Root, "infra", "app", "gpu.bicep"));
    private static readonly XDocument HostProject = XDocument.Load(Path.Combine(HostFolder, "ServerlessVideo.Host.csproj"));

    [Fact]
    public void It_publishes_the_worker_host_with_the_cuda_build_of_onnx_runtime()
    {
        var publish = Assert.Single(Dockerfile.Split('\n'), l => l.Contains("dotnet publish", StringComparison.Ordinal));
        Assert.Contains("src/ServerlessVideo.Host/ServerlessVideo.Host.csproj", publish, StringComparison.Ordinal);
        Assert.Contains("-p:OnnxRuntimeGpu=true", Dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void Its_entrypoint_is_the_assembly_the_project_builds_and_bicep_starts_it_with_a_verb_the_host_knows()
    {
        var assembly = HostProject.Descendants("AssemblyName").Single().Value;
        Assert.Matches($@"ENTRYPOINT \[""/app/{Regex.Escape(assembly)}""\]", Dockerfile);
        var args = BicepArgs().Match(GpuBicep);
        Assert.True(args.Success, "gpu.bicep passes no args to the worker");
        Assert.Equal("serve", args.Groups[1].Value);
        Assert.Contains("[\"serve\", \"--urls\", \"http://0.0.0.0:8080\"]", Dockerfile, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Inference__ExecutionProvider", "cuda")]
    [InlineData("Host__Watch", "false")]
    public void Its_settings_agree_with_the_bicep(string name, string value)
    {
        Assert.Matches($@"{Regex.Escape(name)}={Regex.Escape(value)}\b", Dockerfile);
        Assert.Contains($"{{ name: '{name}', value: '{value}' }}", GpuBicep, StringComparison.Ordinal);
    }

    [Fact]
    public void The_worker_host_does_not_reference_the_test_model_writer() =>
        Assert.DoesNotContain(HostProject.Descendants("ProjectReference"),
            r => r.Attribute("Include")!.Value.Contains("ServerlessVideo.Onnx", StringComparison.Ordinal));

    [GeneratedRegex(@"args: \['(\w+)'")]
    private static partial Regex BicepArgs();
}
