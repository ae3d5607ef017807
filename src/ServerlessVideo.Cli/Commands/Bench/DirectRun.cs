using System.Diagnostics;
using Microsoft.Extensions.Options;
using ServerlessVideo.Core.Planning;
using ServerlessVideo.Host;
using ServerlessVideo.Inference;
using ServerlessVideo.Media;
using ServerlessVideo.Pipeline;
using ServerlessVideo.Pipeline.Activities;

namespace ServerlessVideo.Cli.Commands.Bench;

/// <summary>
/// The pipeline's work on each file with no storage and no durable engine: what a short video's one activity computes
/// (probe, shots when on, plan, one decode of every clip, the pictures, the flows and every model), called straight
/// on the local file through the same services, as many files at once as the worker runs activities. Its CPU (this
/// process plus its ffmpeg children) against the pipeline's on the same files is what storage and orchestration cost.
/// Left out: the result rows' arithmetic (top-k and consensus over a few hundred numbers) and their serialisation. What
/// idles beside this run counts on this side, as it does beside a batch: Azurite's own timers, and the idle worker's
/// queue polls and container listings (client and Azurite).
/// </summary>
internal static class DirectRun
{
    /// <summary>Wall seconds and CPU seconds (this process, its children, Azurite) of the run.</summary>
    public sealed record Timing(double Seconds, CpuSnapshot Cpu, int Parallel)
    {
        public double TotalCpu => Cpu.Total;
    }

    public static async Task<Timing> RunAsync(IServiceProvider services, IReadOnlyList<string> files, int? azuritePid, CancellationToken cancellationToken)
    {
        var parallel = Math.Max(1, services.GetRequiredService<IOptions<LocalHostOptions>>().Value.MaxConcurrentActivities);
        var before = CpuSnapshot.Take(azuritePid);
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken },
            async (file, ct) => await OneAsync(services, file, ct));
        var seconds = watch.Elapsed.TotalSeconds;
        return new Timing(seconds, CpuSnapshot.Take(azuritePid).Since(before), parallel);
    }

    private static async Task OneAsync(IServiceProvider services, string file, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<IOptions<PipelineOptions>>().Value;
        var registry = services.GetRequiredService<ModelRegistry>();
        var input = MediaInput.File(file);
        var probe = await services.GetRequiredService<VideoProber>().ProbeAsync(input, cancellationToken);
        var cuts = options.ShotThreshold > 0
            ? await services.GetRequiredService<ShotDetector>().CutsAsync(input, options.ShotThreshold, cancellationToken)
            : null;
        var plan = VideoPlanner.Plan(
            probe,
            registry.Available.Select(m => m.Manifest),
            options.Planning(),
            cuts);
        var wanted = PlannedClips.Of(plan);
        var tensors = await services.GetRequiredService<FrameSource>().ExtractAsync(input, probe, PlannedClips.Requests(wanted), cancellationToken);
        if (options.Pictures)
        {
            services.GetRequiredService<PictureMaker>().Make(probe, PlannedClips.Decoded(wanted, tensors));
        }

        var runner = services.GetRequiredService<ModelRunner>();
        foreach (var part in PlannedClips.Parts(wanted, tensors))
        {
            runner.Run(Path.GetFileName(file), part.View.View.Key, part.View.ModelIds, part.View.Flows ?? [], part.Clips);
        }
    }
}
