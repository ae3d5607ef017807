using System.Globalization;
using System.Text.Json.Nodes;

namespace ServerlessVideo.Cli.Commands.Bench;

/// <summary>
/// <c>batch</c>: many short clips at once. Bound: every file decoded in full by ffmpeg (two at a time) plus bare ONNX
/// Runtime over the same clips the pipeline cuts, plus their optical flow. Pipeline: all files uploaded at once to the
/// in-process host, wall time until every one is final. Also each video's latency in the batch against the same clips
/// processed alone, and who used the CPU during the batch.
/// </summary>
internal static class BatchScenario
{
    public const string Name = "batch";

    /// <summary>Batches through the pipeline, each after a direct run of the same work.</summary>
    private const int Rounds = 3;

    /// <summary>What the batch measured, for the inference scenario to reuse.</summary>
    public sealed record Result(IReadOnlyList<BareInference.ModelTiming> Bare, IReadOnlyList<JsonNode> BatchVideos, IReadOnlyList<JsonNode> AloneVideos);

    public static Task<Result> RunAsync(BenchContext context, CancellationToken cancellationToken) =>
        MeasureAsync(context, context.Quick ? 8 : 40, full: true, cancellationToken);

    /// <summary>
    /// The measurement; <paramref name="full"/> false (the inference scenario run on its own) keeps only the bare
    /// inference and the pipeline batch, and reports nothing.
    /// </summary>
    public static async Task<Result> MeasureAsync(BenchContext context, int count, bool full, CancellationToken cancellationToken)
    {
        var host = context.Host;
        context.Phase($"{Name}: encoding {count} SynthMotion clips (480×480 H.264, 2.5–4 s; cached in {context.MediaFolder}; not timed) …");
        var clips = await BenchVideos.SynthMotionAsync(context.MediaFolder, count, cancellationToken);
        var files = clips.Select(c => c.Path).ToList();

        // --- bound ---
        double? decodeSeconds = null, decodeCpu = null;
        if (full)
        {
            context.Phase($"{Name}: bound 1/3: ffmpeg -i FILE -f null - on all {count} files, two at a time …");
            var children = CpuTimes.OfChildren();
            decodeSeconds = await BenchVideos.DecodeAllAsync(files, 2, cancellationToken);
            decodeCpu = (CpuTimes.OfChildren() - children)?.TotalSeconds;
            context.Phase(string.Create(CultureInfo.InvariantCulture, $"{Name}:   decode wall {decodeSeconds:0.00} s, ffmpeg CPU {decodeCpu:0.00} s"));
        }

        context.Phase($"{Name}: bound 2/3: extracting the pipeline's clips of all {count} files for bare inference (not timed) …");
        var bare = await BareInference.PrepareAsync(host.Services, files, host.Pipeline.ClipsPerSegment, cancellationToken);
        context.Phase($"{Name}: bound 3/3: optical flow, then bare InferenceSession.Run for {bare.Models.Count} models …");
        var flow = bare.ComputeFlows();
        context.Phase(string.Create(CultureInfo.InvariantCulture, $"{Name}:   flow {flow.Clips} clips in {flow.Seconds:0.00} s"));
        var timings = bare.RunAll(full ? context.Phase : null);
        var inferenceSeconds = timings.Sum(t => t.Ms) / 1000;
        var bareCpu = timings.Sum(t => t.CpuSeconds) + flow.CpuSeconds;
        var bound = (decodeSeconds ?? 0) + inferenceSeconds + flow.Seconds;

        // --- pipeline, straight after, on a worker in the state of one that has been running: a warm-up batch of the
        // same size (uploaded at once, so the waiting-for-a-slot path runs too) has compiled its code paths, opened its
        // storage connections and grown its thread pool, and Azurite has done the same; the bare side warmed up the same
        // way. With a fifth of the files, the first measured batch still cost 0.3-0.6 CPU-s more than the next ones,
        // most of it in Azurite, while the direct runs between them stayed level ---
        var warmup = files;
        context.Phase($"{Name}: warm-up: {warmup.Count} videos at once through the pipeline (not timed) …");
        var warmupIds = await Task.WhenAll(warmup.Select(f => host.UploadAsync(f, $"{context.RunId}-warmup-{Path.GetFileName(f)}", cancellationToken)));
        await host.WaitAsync(warmupIds, TimeSpan.FromMinutes(5), null, cancellationToken);
        await BatchRound.SettleAsync(context.AzuritePid, cancellationToken);

        // Side by side, in turns: the same work done directly, then the batch through the pipeline, Rounds times, so that
        // both sides see the same moments of a shared machine and the comparison takes the mean of each.
        var rounds = full ? Rounds : 1;
        var directs = new List<DirectRun.Timing>();
        var batches = new List<BatchRound>();
        for (var round = 1; round <= rounds; round++)
        {
            if (full)
            {
                context.Phase($"{Name}: direct {round}/{rounds}: the same work on all {count} files with no storage or durable engine …");
                var timing = await DirectRun.RunAsync(host.Services, files, context.AzuritePid, cancellationToken);
                await BatchRound.SettleAsync(context.AzuritePid, cancellationToken);
                context.Phase(string.Create(CultureInfo.InvariantCulture, $"{Name}:   direct wall {timing.Seconds:0.00} s ({timing.Parallel} at once), CPU {timing.TotalCpu:0.00} s (Azurite, idle beside it, {timing.Cpu.Azurite ?? 0:0.00} s)"));
                directs.Add(timing);
            }

            context.Phase($"{Name}: pipeline {round}/{rounds}: uploading all {count} at once and waiting until every one is final …");
            var batch = await BatchRound.RunAsync(context, files, $"batch-{round}", cancellationToken);
            context.Phase(string.Create(CultureInfo.InvariantCulture, $"{Name}:   {batch.Completed}/{count} completed in {batch.Seconds:0.0} s (bound {bound:0.0} s); idle {batch.SettleSeconds:0.0} s later; CPU {batch.Cpu.Total:0.00} s"));
            batches.Add(batch);
        }

        if (!full)
        {
            return new Result(timings, batches[0].Videos, []);
        }

        // --- the same clips alone, one at a time ---
        var aloneCount = Math.Min(3, count);
        var alone = new List<JsonNode>();
        var aloneWall = new List<double>();
        for (var k = 0; k < aloneCount; k++)
        {
            context.Phase($"{Name}: alone {k + 1}/{aloneCount}: {Path.GetFileName(files[k])} …");
            var (seconds, video) = await host.RunOneAsync(files[k], $"{context.RunId}-alone-{k}-{Path.GetFileName(files[k])}", TimeSpan.FromMinutes(5), cancellationToken);
            alone.Add(video);
            aloneWall.Add(seconds);
        }

        var latencies = batches.SelectMany(b => b.Videos).Where(BenchHost.IsCompleted).Select(BenchHost.LatencySeconds).OfType<double>().ToList();
        var aloneLatencies = alone.Where(BenchHost.IsCompleted).Select(BenchHost.LatencySeconds).OfType<double>().ToList();
        var p50 = BenchStats.Percentile(latencies, 50);
        var p95 = BenchStats.Percentile(latencies, 95);
        var aloneMedian = BenchStats.Median(aloneLatencies);

        var measured = new Measured(count, batches, directs, decodeSeconds, decodeCpu, inferenceSeconds, flow, bareCpu, bound);
        Report(context, measured, p50, p95, aloneMedian, BenchStats.Median(aloneWall), latencies);
        return new Result(timings, batches[0].Videos, alone);
    }

    /// <summary>The bound's parts, and the batches and direct runs taken in turns.</summary>
    private sealed record Measured(
        int Count, IReadOnlyList<BatchRound> Batches, IReadOnlyList<DirectRun.Timing> Directs, double? DecodeSeconds, double? DecodeCpu,
        double InferenceSeconds, BareInference.FlowTiming Flow, double BareCpu, double Bound)
    {
        public double PipelineSeconds => Batches.Average(b => b.Seconds);

        /// <summary>The mean batch window.</summary>
        public CpuSnapshot Cpu { get; } = CpuSnapshot.Mean([.. Batches.Select(b => b.Cpu)]);

        /// <summary>The mean direct run (host, children, and Azurite idling beside it); null without one.</summary>
        public CpuSnapshot? Direct { get; } = Directs.Count == 0 ? null : CpuSnapshot.Mean([.. Directs.Select(d => d.Cpu)]);

        /// <summary>
        /// Storage + orchestration: the mean batch window's CPU less the mean direct run's, when every batch
        /// <see cref="Compares"/>.
        /// </summary>
        public double? SideBySide => Batches.All(Compares)
            ? BenchStats.MeanBeyond([.. Batches.Select(b => b.Cpu.Total)], [.. Directs.Select(d => d.TotalCpu)])
            : null;

        /// <summary>
        /// <see cref="SideBySide"/> as the bench reckoned it before it measured Azurite beside the direct runs: what Azurite
        /// spends while the batch's work is done directly (its timers, the idle worker's polls) counted as the batch's.
        /// </summary>
        public double? SideBySideWithIdleAzurite => Batches.All(Compares)
            ? BenchStats.MeanBeyond([.. Batches.Select(b => b.Cpu.Total)], [.. Directs.Select(d => (d.Cpu with { Azurite = null }).Total)])
            : null;

        /// <summary>Each round's own difference, batch i against direct run i just before it.</summary>
        public IEnumerable<double?> PerRound => Batches.Zip(Directs, (b, d) =>
            Compares(b) && b.Cpu.Total > 0 ? BenchStats.Beyond(b.Cpu.Total, d.TotalCpu) / b.Cpu.Total : null);

        /// <summary>
        /// A batch compares with the direct work when every video completed (a failed one skipped work the direct side
        /// did) and every party's CPU was measured.
        /// </summary>
        private bool Compares(BatchRound batch) => batch.Completed == Count && batch.Cpu.Children is not null && batch.Cpu.Azurite is not null
            && Directs.All(d => d.Cpu.Azurite is not null);
    }

    private static void Report(BenchContext context, Measured m, double? p50, double? p95, double? aloneMedian, double? aloneWallMedian, IReadOnlyList<double> latencies)
    {
        var report = context.Report;
        var count = m.Count;
        var rounds = m.Batches.Count;
        report.Row(Name, $"{count} clips: wall, pipeline vs bound (mean of {rounds} batches)", BenchReport.Seconds(m.PipelineSeconds), BenchReport.Seconds(m.Bound), BenchStats.Ratio(m.PipelineSeconds, m.Bound));
        report.Row(Name, "  bound = decode + bare inference + flow", string.Empty,
            $"{BenchReport.Seconds(m.DecodeSeconds)} + {BenchReport.Seconds(m.InferenceSeconds)} + {BenchReport.Seconds(m.Flow.Seconds)}", null);
        report.Row(Name, $"latency in batch p50 / p95 (completedAt − startedAt, {latencies.Count} videos)", $"{BenchReport.Seconds(p50)} / {BenchReport.Seconds(p95)}", string.Empty, null);
        report.Row(Name, "latency: p95 in batch vs median alone (3 clips)", BenchReport.Seconds(p95), BenchReport.Seconds(aloneMedian), BenchStats.Ratio(p95, aloneMedian));

        // Shares of all CPU used in the (mean) batch window by the three parties that use it.
        var cpu = m.Cpu;
        var total = cpu.Total;
        double? Share(double? part) => part is { } p && total > 0 ? p / total : null;
        // Side by side: the pipeline's CPU (host, ffmpeg children, Azurite) against the same work done directly
        // (DirectRun: host and children). What is left is what storage clients, the storage emulator and the durable
        // engine cost, with the batch's uploads.
        var sideBySide = m.SideBySide;
        // Upper bound: the host's CPU beyond what bare inference + flow cost for the same clips (scaled by the share of
        // videos that completed, since only those ran every model) also counts the pipeline's own compute besides
        // inference and flow (reading decoded frames, preprocessing, the pictures, probing), all as overhead.
        var scale = count == 0 ? 0 : m.Batches.Average(b => b.Completed) / count;
        var workerOverhead = Math.Max(0, cpu.Host - (m.BareCpu * scale));
        var overhead = (cpu.Azurite ?? 0) + workerOverhead;
        report.Row(Name, "CPU in batch window: ffmpeg/ffprobe children", BenchReport.Percent(Share(cpu.Children)), $"{BenchReport.Seconds(cpu.Children)} of {BenchReport.Seconds(total)}", null);
        report.Row(Name, "CPU in batch window: Azurite", BenchReport.Percent(Share(cpu.Azurite)), BenchReport.Seconds(cpu.Azurite), null);
        report.Row(Name, "CPU in batch window: host process", BenchReport.Percent(Share(cpu.Host)), BenchReport.Seconds(cpu.Host), null);
        report.Row(Name, $"CPU: same work direct, no storage or durable engine (mean of {m.Directs.Count})", BenchReport.Seconds(m.Direct?.Total),
            m.Direct is not { } direct ? string.Empty
                : $"host {BenchReport.Seconds(direct.Host)} + children {BenchReport.Seconds(direct.Children)} + Azurite idle {BenchReport.Seconds(direct.Azurite)}", null);
        report.Row(Name, "CPU: storage + orchestration (pipeline − direct)", BenchReport.Percent(Share(sideBySide)), BenchReport.Seconds(sideBySide), null);
        report.Row(Name, "  each round (batch i − direct run i before it)", string.Join(" / ", m.PerRound.Select(BenchReport.Percent)), string.Empty, null);
        var azuriteBeyond = cpu.Azurite - m.Direct?.Azurite;
        var worker = sideBySide - azuriteBeyond;
        report.Row(Name, "  of which Azurite (beyond its idle); in the worker", $"{BenchReport.Percent(Share(azuriteBeyond))}; {BenchReport.Percent(Share(worker))}",
            $"{BenchReport.Seconds(azuriteBeyond)}; {BenchReport.Seconds(worker)}", null);
        report.Row(Name, "  with Azurite's idle beside the direct runs counted as the batch's", BenchReport.Percent(Share(m.SideBySideWithIdleAzurite)),
            BenchReport.Seconds(m.SideBySideWithIdleAzurite), null);
        report.Row(Name, "CPU: upper bound (Azurite + host − bare inference and flow)", BenchReport.Percent(Share(overhead)), BenchReport.Seconds(overhead), null);
        var gc = m.Batches.Select(b => b.Gc).Aggregate((a, b) => a.Plus(b));
        report.Row(Name, $"  worker in the {rounds} batch windows: GC gen0 / gen1 / gen2, pause; JIT",
            string.Create(CultureInfo.InvariantCulture, $"{gc.Gen0} / {gc.Gen1} / {gc.Gen2}, {gc.Pause.TotalMilliseconds:0} ms; {gc.JitMethods} methods, {gc.JitTime.TotalMilliseconds:0} ms"), string.Empty, null);
        var ownRequests = m.Batches.Sum(b => b.Requests);
        report.Row(Name, "  storage requests per video, the worker's own clients (sv.storage.requests)",
            string.Create(CultureInfo.InvariantCulture, $"{(double)ownRequests / Math.Max(1, count * rounds):0.0}"), string.Create(CultureInfo.InvariantCulture, $"{ownRequests} in all"), null);
        report.Note($"batch: storage + orchestration = the CPU of the mean batch window (host + ffmpeg children + Azurite) − the mean CPU of the same work done directly on the same files "
            + "(probe, plan, one decode, pictures, flows, models; as many at once as the worker runs activities; host + children + Azurite, which idles beside it: "
            + "its own timers, the idle worker's queue polls and listings); "
            + $"the {m.Directs.Count} direct runs and {rounds} batches alternate, a direct run first. Shares are of the mean batch window's CPU. "
            + "Upper bound = Azurite + max(0, host − bare (inference + flow) CPU × completed/total videos). "
            + "Children via cutime+cstime of /proc/self/stat (= getrusage RUSAGE_CHILDREN), Azurite via /proc/<pid>/stat at 100 Hz.");
        if (cpu.Azurite is null)
        {
            report.Note("batch: Azurite's CPU is unknown (SV_AZURITE_PID unset or unreadable); run through ./sv bench.");
        }

        var json = report.Scenario(Name);
        json["clips"] = count;
        json["rounds"] = rounds;
        json["completed"] = m.Batches.Min(b => b.Completed); // in the batch with the fewest
        json["pipelineSeconds"] = BenchReport.Round(m.PipelineSeconds);
        json["boundSeconds"] = BenchReport.Round(m.Bound);
        json["ratio"] = BenchReport.Round(BenchStats.Ratio(m.PipelineSeconds, m.Bound));
        json["bound"] = new JsonObject
        {
            ["decodeWallSeconds"] = BenchReport.Round(m.DecodeSeconds),
            ["decodeCpuSeconds"] = BenchReport.Round(m.DecodeCpu),
            ["bareInferenceSeconds"] = BenchReport.Round(m.InferenceSeconds),
            ["flowSeconds"] = BenchReport.Round(m.Flow.Seconds),
            ["flowClips"] = m.Flow.Clips,
            ["bareInferenceAndFlowCpuSeconds"] = BenchReport.Round(m.BareCpu),
        };
        json["latency"] = new JsonObject
        {
            ["p50Seconds"] = BenchReport.Round(p50),
            ["p95Seconds"] = BenchReport.Round(p95),
            ["aloneMedianSeconds"] = BenchReport.Round(aloneMedian),
            ["aloneMedianUploadToFinalSeconds"] = BenchReport.Round(aloneWallMedian),
            ["p95OverAloneMedian"] = BenchReport.Round(BenchStats.Ratio(p95, aloneMedian)),
            ["batchSeconds"] = new JsonArray([.. latencies.Select(l => BenchReport.Round(l))]),
        };
        json["cpu"] = new JsonObject
        {
            ["totalSeconds"] = BenchReport.Round(total),
            ["ffmpegChildrenSeconds"] = BenchReport.Round(cpu.Children),
            ["azuriteSeconds"] = BenchReport.Round(cpu.Azurite),
            ["hostSeconds"] = BenchReport.Round(cpu.Host),
            ["directCpuSeconds"] = BenchReport.Round(m.Direct?.Total),
            ["directAzuriteIdleSeconds"] = BenchReport.Round(m.Direct?.Azurite),
            ["storageAndOrchestrationSeconds"] = BenchReport.Round(sideBySide),
            ["storageAndOrchestrationShare"] = BenchReport.Round(Share(sideBySide)),
            ["workerStorageAndOrchestrationSeconds"] = BenchReport.Round(worker),
            ["formula"] = "mean over batches (host + children + azurite) - mean over direct runs (host + children + azurite idle beside them)",
            ["storageAndOrchestrationShareWithIdleAzurite"] = BenchReport.Round(Share(m.SideBySideWithIdleAzurite)),
            ["upperBoundSeconds"] = BenchReport.Round(overhead),
            ["upperBoundShare"] = BenchReport.Round(Share(overhead)),
            ["upperBoundFormula"] = "azurite + max(0, host - bareInferenceAndFlowCpu * completed / clips)",
            ["perRound"] = new JsonArray([.. m.Batches.Select((b, i) => (JsonNode)new JsonObject
            {
                ["batchSeconds"] = BenchReport.Round(b.Seconds),
                ["settleSeconds"] = BenchReport.Round(b.SettleSeconds),
                ["batchCpuSeconds"] = BenchReport.Round(b.Cpu.Total),
                ["batchHostSeconds"] = BenchReport.Round(b.Cpu.Host),
                ["batchChildrenSeconds"] = BenchReport.Round(b.Cpu.Children),
                ["batchAzuriteSeconds"] = BenchReport.Round(b.Cpu.Azurite),
                ["directCpuSeconds"] = BenchReport.Round(i < m.Directs.Count ? m.Directs[i].TotalCpu : null),
                ["directWallSeconds"] = BenchReport.Round(i < m.Directs.Count ? m.Directs[i].Seconds : null),
                ["directHostSeconds"] = BenchReport.Round(i < m.Directs.Count ? m.Directs[i].Cpu.Host : null),
                ["directChildrenSeconds"] = BenchReport.Round(i < m.Directs.Count ? m.Directs[i].Cpu.Children : null),
                ["directAzuriteSeconds"] = BenchReport.Round(i < m.Directs.Count ? m.Directs[i].Cpu.Azurite : null),
            })]),
        };
        json["ownStorageRequestsPerVideo"] = BenchReport.Round((double)ownRequests / Math.Max(1, count * rounds));
        json["ownStorageRequestsAllBatches"] = ownRequests;
        json["workerGcAllBatches"] = new JsonObject
        {
            ["gen0"] = gc.Gen0,
            ["gen1"] = gc.Gen1,
            ["gen2"] = gc.Gen2,
            ["pauseMs"] = BenchReport.Round(gc.Pause.TotalMilliseconds),
            ["jitMethods"] = gc.JitMethods,
            ["jitMs"] = BenchReport.Round(gc.JitTime.TotalMilliseconds),
        };
    }
}
