using ServerlessVideo.Testing;

namespace ServerlessVideo.Deployment.Tests;

/// <summary>
/// The host built with <c>-p:OnnxRuntimeGpu=true</c> (CUDA build of ONNX Runtime, in bin-gpu/ beside the CPU build):
/// it builds, ships the CUDA provider, and on a machine without a GPU falls back to CPU and says so.
/// </summary>
public sealed class GpuVariantTests
{
    private static string HostProject => Path.Combine(RepoPaths.Root, "src", "ServerlessVideo.Host", "ServerlessVideo.Host.csproj");

    private static string Output => Path.Combine(RepoPaths.Root, "src", "ServerlessVideo.Host", "bin-gpu", BuildOutputs.Configuration, "net10.0");

    private static readonly Lazy<Task> Built = new(async () =>
    {
        var (code, output) = await ProcessRunner.RunAsync("dotnet",
        [
            "build", HostProject, "-c", BuildOutputs.Configuration, "-nologo", "-v:q",
            "-p:OnnxRuntimeGpu=true", "-p:BaseIntermediateOutputPath=obj-gpu/", "-p:BaseOutputPath=bin-gpu/",
        ], TimeSpan.FromMinutes(10));
        Assert.True(code == 0, output);
    });

    [Fact]
    public async Task The_gpu_build_ships_the_cuda_provider_and_not_the_cpu_only_runtime()
    {
        await Built.Value;
        var native = Path.Combine(Output, "runtimes", "linux-x64", "native");
        Assert.True(File.Exists(Path.Combine(native, "libonnxruntime_providers_cuda.so")), $"no CUDA provider in {native}");
        var cpu = Path.Combine(RepoPaths.Root, "src", "ServerlessVideo.Host", "bin", BuildOutputs.Configuration, "net10.0", "runtimes", "linux-x64", "native");
        Assert.False(File.Exists(Path.Combine(cpu, "libonnxruntime_providers_cuda.so")), "the default build must stay CPU-only");
    }

    [Fact]
    public async Task Asked_for_cuda_without_a_gpu_it_runs_every_model_on_cpu_and_logs_why()
    {
        await Built.Value;
        var (code, output) = await ProcessRunner.RunAsync("dotnet", [Path.Combine(Output, "sv-host.dll"), "check-models"], TimeSpan.FromMinutes(2),
            new Dictionary<string, string> { ["Inference__ExecutionProvider"] = "cuda", ["Inference__ModelsPath"] = RepoPaths.Models });
        Assert.True(code == 0, output);
        Assert.Contains("falling back to CPU", output, StringComparison.Ordinal);
        var models = RepoPaths.BuiltInModelIds;
        Assert.NotEmpty(models);
        Assert.All(models, id => Assert.Matches($@"{id}\s+\S+\s+CPUExecutionProvider", output));
    }
}
