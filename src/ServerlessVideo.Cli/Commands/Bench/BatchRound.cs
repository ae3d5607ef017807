using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ServerlessVideo.Cli.Commands.Bench;

/// <summary>
/// One batch through the pipeline: every file uploaded at once under a name of its own, timed until every one is final,
/// with the CPU used (host, ffmpeg children, Azurite) from the first upload until the worker and Azurite are idle again
/// (the work a batch leaves behind is the batch's, not that of what runs next), the worker's collections and
/// compilations, and the requests of its own storage clients.
/// </summary>
internal sealed record BatchRound(double Seconds, double SettleSeconds, CpuSnapshot Cpu, GcSnapshot Gc, long Requests, IReadOnlyList<JsonNode> Videos)
{
    /// <summary>Idle: the worker and Azurite together used less than this share of one core over the last half second.</summary>
    private const double IdleShare = 0.1;

    private static readonly TimeSpan IdleStep = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest the window stays open after the last video is final.</summary>
    private static readonly TimeSpan MaxSettle = TimeSpan.FromSeconds(15);

    public int Completed => Videos.Count(BenchHost.IsCompleted);

    /// <summary>Runs the batch; blob names are <c>{run}-{tag}-{file}</c>.</summary>
    public static async Task<BatchRound> RunAsync(BenchContext context, IReadOnlyList<string> files, string tag, CancellationToken cancellationToken)
    {
        var host = context.Host;
        var before = CpuSnapshot.Take(context.AzuritePid);
        var gcBefore = GcSnapshot.Take();
        using var requests = new StorageRequestTally();
        var watch = Stopwatch.StartNew();
        var ids = await Task.WhenAll(files.Select(f => host.UploadAsync(f, $"{context.RunId}-{tag}-{Path.GetFileName(f)}", cancellationToken)));
        await host.WaitFinalAsync(ids, TimeSpan.FromMinutes(30), n => context.Phase($"{tag}:   {n}/{files.Count} final after {watch.Elapsed.TotalSeconds:0} s"), cancellationToken);
        var seconds = watch.Elapsed.TotalSeconds;
        await SettleAsync(context.AzuritePid, cancellationToken);
        var settle = watch.Elapsed.TotalSeconds - seconds;
        if (settle >= MaxSettle.TotalSeconds)
        {
            context.Phase($"{tag}:   the worker and Azurite were still busy {MaxSettle.TotalSeconds:0} s after the last video was final; the window closes anyway");
        }

        var cpu = CpuSnapshot.Take(context.AzuritePid).Since(before);
        var gc = GcSnapshot.Take().Since(gcBefore);
        var own = requests.Count;
        var results = await host.GetFinalAsync(ids, cancellationToken);
        return new BatchRound(seconds, settle, cpu, gc, own, [.. ids.Select(id => results[id])]);
    }

    /// <summary>Waits until the worker and Azurite are idle (see <see cref="IdleShare"/>), at most <see cref="MaxSettle"/>.</summary>
    public static async Task SettleAsync(int? azuritePid, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var last = CpuSnapshot.Take(azuritePid);
        while (watch.Elapsed < MaxSettle)
        {
            await Task.Delay(IdleStep, cancellationToken);
            var now = CpuSnapshot.Take(azuritePid);
            var step = now.Since(last);
            last = now;
            if (step.Host + (step.Azurite ?? 0) < IdleShare * IdleStep.TotalSeconds)
            {
                return;
            }
        }
    }
}
