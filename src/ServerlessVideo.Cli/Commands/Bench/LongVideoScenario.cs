using System.Globalization;
using System.Text.Json.Nodes;

namespace ServerlessVideo.Cli.Commands.Bench;

/// <summary>
/// <c>long</c>: one long 1080p30 H.264 video (testsrc2 with temporal noise at 35 Mb/s). Bound: one full decode,
/// <c>ffmpeg -i FILE -f null -</c>. Pipeline, straight after: that video alone, from upload until final.
/// </summary>
internal static class LongVideoScenario
{
    public const string Name = "long";

    public static async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var seconds = context.Quick ? 10 : 60;
        context.Phase($"{Name}: encoding a {seconds} s 1080p30 testsrc2 + noise video at 35 Mb/s (cached; not timed) …");
        var file = await BenchVideos.TestSourceAsync(context.MediaFolder, 1920, 1080, seconds, heavy: true, cancellationToken);

        context.Phase($"{Name}: bound: ffmpeg -i {Path.GetFileName(file)} -f null - …");
        var children = CpuTimes.OfChildren();
        var decode = await BenchVideos.DecodeAllAsync([file], 1, cancellationToken);
        var decodeCpu = (CpuTimes.OfChildren() - children)?.TotalSeconds;
        context.Phase(string.Create(CultureInfo.InvariantCulture, $"{Name}:   decode {decode:0.00} s, ffmpeg CPU {decodeCpu:0.00} s"));

        context.Phase($"{Name}: pipeline: uploading it alone and waiting until final …");
        var before = CpuSnapshot.Take(context.AzuritePid);
        var (withUpload, pipeline, video) = await context.Host.RunOneTimedAsync(file, $"{context.RunId}-long-{Path.GetFileName(file)}", TimeSpan.FromMinutes(30), cancellationToken);
        var cpu = CpuSnapshot.Take(context.AzuritePid).Since(before);
        var status = video["status"]?.GetValue<string>();
        context.Phase(string.Create(CultureInfo.InvariantCulture, $"{Name}:   {status} in {pipeline:0.00} s, ffmpeg/ffprobe CPU {cpu.Children:0.00} s"));

        // The same video read in place with range requests instead of downloaded first: what streaming saves.
        var pipelineOptions = context.Host.Pipeline;
        var streamFrom = pipelineOptions.StreamFromBytes;
        context.Phase($"{Name}: pipeline again, the video read in place with range requests (Pipeline:StreamFromBytes 0) …");
        pipelineOptions.StreamFromBytes = 0;
        (double Seconds, JsonNode Video) streamed;
        try
        {
            var (_, fromStored, node) = await context.Host.RunOneTimedAsync(file, $"{context.RunId}-long-streamed-{Path.GetFileName(file)}", TimeSpan.FromMinutes(30), cancellationToken);
            streamed = (fromStored, node);
        }
        finally
        {
            pipelineOptions.StreamFromBytes = streamFrom;
        }

        var report = context.Report;
        var measure = string.Create(CultureInfo.InvariantCulture, $"{seconds} s 1080p30 35 Mb/s: pipeline (stored → final) vs one full decode");
        report.Row(Name, measure, BenchReport.Seconds(pipeline), BenchReport.Seconds(decode), BenchStats.Ratio(pipeline, decode));
        report.Row(Name, "  the same from the upload's start (upload → final)", BenchReport.Seconds(withUpload), BenchReport.Seconds(decode), BenchStats.Ratio(withUpload, decode));
        report.Row(Name, "  ffmpeg CPU-seconds (pipeline: ffmpeg + ffprobe)", BenchReport.Seconds(cpu.Children), BenchReport.Seconds(decodeCpu), BenchStats.Ratio(cpu.Children, decodeCpu));
        report.Row(Name, "  read in place (range requests) vs downloaded first, stored → final", BenchReport.Seconds(streamed.Seconds), BenchReport.Seconds(pipeline), BenchStats.Ratio(streamed.Seconds, pipeline));
        report.Row(Name, "  the same, probe stage (admit, download if any, ffprobe)", BenchReport.Seconds(ProbeSeconds(streamed.Video)), BenchReport.Seconds(ProbeSeconds(video)), BenchStats.Ratio(ProbeSeconds(streamed.Video), ProbeSeconds(video)));
        report.Row(Name, "  the same, extract stage (decode, first inference)", BenchReport.Seconds(StageSeconds(streamed.Video, "extract")), BenchReport.Seconds(StageSeconds(video, "extract")), BenchStats.Ratio(StageSeconds(streamed.Video, "extract"), StageSeconds(video, "extract")));
        if (status != "Completed")
        {
            report.Note($"long: the video ended {status} {video["reasonCode"]}: {video["message"]}");
        }

        var json = report.Scenario(Name);
        json["videoSeconds"] = seconds;
        json["file"] = Path.GetFileName(file);
        json["bytes"] = new FileInfo(file).Length;
        json["status"] = status;
        json["pipelineSeconds"] = BenchReport.Round(pipeline);
        json["uploadToFinalSeconds"] = BenchReport.Round(withUpload);
        json["decodeSeconds"] = BenchReport.Round(decode);
        json["ratio"] = BenchReport.Round(BenchStats.Ratio(pipeline, decode));
        json["pipelineFfmpegCpuSeconds"] = BenchReport.Round(cpu.Children);
        json["decodeFfmpegCpuSeconds"] = BenchReport.Round(decodeCpu);
        json["pipelineHostCpuSeconds"] = BenchReport.Round(cpu.Host);
        json["pipelineAzuriteCpuSeconds"] = BenchReport.Round(cpu.Azurite);
        json["latencySeconds"] = BenchReport.Round(BenchHost.LatencySeconds(video));
        json["timingsMs"] = video["timingsMs"]?.DeepClone();
        json["streamed"] = new JsonObject
        {
            ["pipelineSeconds"] = BenchReport.Round(streamed.Seconds),
            ["timingsMs"] = streamed.Video["timingsMs"]?.DeepClone(),
        };
    }

    private static double? ProbeSeconds(JsonNode video) => StageSeconds(video, "probe");

    private static double? StageSeconds(JsonNode video, string stage) => video["timingsMs"]?[stage]?.GetValue<double>() / 1000;
}
