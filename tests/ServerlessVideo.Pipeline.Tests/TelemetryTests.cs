using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ServerlessVideo.Core;
using ServerlessVideo.Onnx;
using ServerlessVideo.Pipeline.Messages;
using ServerlessVideo.Pipeline.Telemetry;
using ServerlessVideo.Testing;
using Xunit.Abstractions;

namespace ServerlessVideo.Pipeline.Tests;

/// <summary>The spans and metrics a real video produces, caught by in-memory exporters listening to the pipeline.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_videos_activities_are_spans_of_one_trace_derived_from_its_id_with_stage_model_clips_bytes_and_provider()
    {
        var exported = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(PipelineTelemetry.SourceName).AddInMemoryExporter(exported).Build();
        await using var h = await PipelineHarness.StartAsync(twoModels: true);
        var path = await TestVideos.ColourAsync(h.Scratch, "red", 160, 120, 25, 6, "mp4");
        var (id, outcome, _) = await h.RunAsync(path);
        Assert.Equal(VideoStatuses.Completed, outcome.Status);
        tracing.ForceFlush();

        var spans = SpansOf(exported, id);
        Print(spans);
        var trace = PipelineTelemetry.TraceIdOf(id);
        Assert.All(spans, s => Assert.Equal(trace, s.TraceId));
        // Siblings under the video's derived context: nothing parented to a host's or engine's span.
        Assert.Single(spans.Select(s => s.ParentSpanId).Distinct());
        Assert.Equal(PipelineTelemetry.ContextOf(id).SpanId, spans[0].ParentSpanId);
        Assert.All(spans, s => Assert.NotEqual(ActivityStatusCode.Error, s.Status));

        var names = spans.Select(s => s.DisplayName).ToHashSet();
        Assert.Equal(
            new HashSet<string> { TaskNames.PrepareVideo, TaskNames.ExtractFrames, TaskNames.RunInference, TaskNames.WriteResults, TaskNames.VideoOrchestration },
            names);
        Assert.All(spans, s => Assert.Equal(PipelineTelemetry.StageOf(s.DisplayName), s.GetTagItem(TelemetryTags.Stage)));

        var prepare = Assert.Single(spans, s => s.DisplayName == TaskNames.PrepareVideo);
        Assert.Equal(new FileInfo(path).Length, prepare.GetTagItem(TelemetryTags.Bytes));
        Assert.Equal(2, prepare.GetTagItem(TelemetryTags.Views));
        Assert.Equal(3 + 5, prepare.GetTagItem(TelemetryTags.Clips));

        // One decode for both views: 3 clips of the 4 fps view and 5 of the 2 fps view, 8 frames of 32² RGB each.
        var extract = Assert.Single(spans, s => s.DisplayName == TaskNames.ExtractFrames);
        Assert.Equal(3 + 5, extract.GetTagItem(TelemetryTags.Clips));
        Assert.Equal((3 + 5) * (long)ColourMeanModel.ClipLength * ColourMeanModel.CropSize * ColourMeanModel.CropSize * 3, extract.GetTagItem(TelemetryTags.Bytes));

        // One inference per (view, segment), two clips per segment: 2 + 3.
        var inferences = spans.Where(s => s.DisplayName == TaskNames.RunInference).ToList();
        Assert.Equal(2 + 3, inferences.Count);
        Assert.All(inferences, s =>
        {
            Assert.Equal("CPUExecutionProvider", s.GetTagItem(TelemetryTags.Provider));
            Assert.Equal(1, s.GetTagItem(TelemetryTags.Models));
            Assert.NotNull(s.GetTagItem(TelemetryTags.Segment));
            Assert.True((long)s.GetTagItem(TelemetryTags.Bytes)! > 0);
        });
        Assert.Equal([3, 5], inferences.GroupBy(s => (string)s.GetTagItem(TelemetryTags.View)!).Select(g => g.Sum(s => (int)s.GetTagItem(TelemetryTags.Clips)!)).Order());

        Assert.Equal(VideoStatuses.Completed, Assert.Single(spans, s => s.DisplayName == TaskNames.WriteResults).GetTagItem(TelemetryTags.Status));
        var video = Assert.Single(spans, s => s.DisplayName == TaskNames.VideoOrchestration);
        Assert.Equal(VideoStatuses.Completed, video.GetTagItem(TelemetryTags.Status));
        // The video's span covers every activity but the final one, which stores it.
        Assert.All(spans.Where(s => s.DisplayName is not (TaskNames.VideoOrchestration or TaskNames.WriteResults)),
            s => Assert.InRange(s.StartTimeUtc, video.StartTimeUtc, video.StartTimeUtc + video.Duration));
    }

    [Fact]
    public async Task A_short_video_is_decoded_inferred_and_written_in_its_admitting_activity_and_stores_no_tensors()
    {
        var exported = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(PipelineTelemetry.SourceName).AddInMemoryExporter(exported).Build();
        // Segments of 8 clips: both views (3 and 5 clips) are one segment each.
        await using var h = await PipelineHarness.StartAsync(twoModels: true, configure: x => x.Options.ClipsPerSegment = 8);
        var path = await TestVideos.ColourAsync(h.Scratch, "blue", 160, 120, 25, 6, "mp4");
        var (id, outcome, _) = await h.RunAsync(path);
        Assert.Equal(VideoStatuses.Completed, outcome.Status);
        Assert.Equal("blue", outcome.TopLabel);
        tracing.ForceFlush();

        var spans = SpansOf(exported, id);
        Print(spans);
        Assert.Equal(
            new[] { TaskNames.ExtractFrames, TaskNames.PrepareVideo, TaskNames.VideoOrchestration, TaskNames.WriteResults }.Order(StringComparer.Ordinal),
            spans.Select(s => s.DisplayName).Order(StringComparer.Ordinal));
        var extract = Assert.Single(spans, s => s.DisplayName == TaskNames.ExtractFrames);
        Assert.Equal(3 + 5, extract.GetTagItem(TelemetryTags.Clips));
        Assert.Equal("CPUExecutionProvider", extract.GetTagItem(TelemetryTags.Provider));
        // One activity: the decode ran inside the admitting one, the write inside the decode, each under its own span.
        var prepare = Assert.Single(spans, s => s.DisplayName == TaskNames.PrepareVideo);
        var write = Assert.Single(spans, s => s.DisplayName == TaskNames.WriteResults);
        Assert.InRange(extract.StartTimeUtc + extract.Duration, prepare.StartTimeUtc, prepare.StartTimeUtc + prepare.Duration);
        Assert.InRange(write.StartTimeUtc + write.Duration, extract.StartTimeUtc, extract.StartTimeUtc + extract.Duration);
        Assert.Equal(2, prepare.GetTagItem(TelemetryTags.Views));

        var models = await h.RowsAsync(h.ModelRows, id);
        Assert.Equal([3, 5], models.Select(m => m.GetInt32("Clips")).Order());
        Assert.All(models, m => Assert.Equal("blue", m.GetString("TopLabel")));
        var video = Assert.Single(await h.RowsAsync(h.VideoRows, id));
        var timings = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, double>>(video.GetString("TimingsJson"))!;
        Assert.Equal(["extract", "infer", "probe"], timings.Keys.Order());
        Assert.True(timings["extract"] > 0 && timings["infer"] > 0, string.Join(", ", timings));
        Assert.Equal(0, await h.ArtifactCountAsync(id));
    }

    [Fact]
    public async Task A_failed_video_is_counted_by_status_and_reason_and_its_stage_timed()
    {
        var exported = new List<Activity>();
        var metrics = new List<MetricSnapshot>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(PipelineTelemetry.SourceName).AddInMemoryExporter(exported).Build();
        using var metering = Sdk.CreateMeterProviderBuilder().AddMeter(PipelineTelemetry.MeterName).AddInMemoryExporter(metrics).Build();
        await using var h = await PipelineHarness.StartAsync();
        var path = await TestVideos.BadAsync("random", h.Scratch);
        var (id, outcome, _) = await h.RunAsync(path, TimeSpan.FromSeconds(60));
        Assert.Equal(ReasonCodes.Unreadable, outcome.Failure!.ReasonCode);
        tracing.ForceFlush();
        metering.ForceFlush();

        var videos = Points(metrics, PipelineTelemetry.VideosCounter);
        var failed = Assert.Single(videos);
        Assert.Equal(1, failed.Point.GetSumLong());
        Assert.Equal(new Dictionary<string, object?> { [TelemetryTags.Status] = VideoStatuses.Failed, [TelemetryTags.ReasonCode] = ReasonCodes.Unreadable }, failed.Tags);

        var stages = Points(metrics, PipelineTelemetry.StageDurationHistogram);
        Assert.Equal(["probe"], stages.Select(p => (string)p.Tags[TelemetryTags.Stage]!));
        Assert.Equal(1, stages[0].Point.GetHistogramCount());
        var tasks = Points(metrics, PipelineTelemetry.TaskDurationHistogram);
        Assert.Equal(
            [TaskNames.PrepareVideo, TaskNames.RecordFailure],
            tasks.Select(p => (string)p.Tags[TelemetryTags.Task]!).Order());
        Assert.All(tasks, p => Assert.Equal("ok", p.Tags[TelemetryTags.Outcome]));

        var spans = SpansOf(exported, id);
        Print(spans);
        Assert.All(spans, s => Assert.Equal(PipelineTelemetry.TraceIdOf(id), s.TraceId));
        Assert.Equal(ReasonCodes.Unreadable, Assert.Single(spans, s => s.DisplayName == TaskNames.PrepareVideo).GetTagItem(TelemetryTags.ReasonCode));
        Assert.Equal(ReasonCodes.Unreadable, Assert.Single(spans, s => s.DisplayName == TaskNames.RecordFailure).GetTagItem(TelemetryTags.ReasonCode));
        var video = Assert.Single(spans, s => s.DisplayName == TaskNames.VideoOrchestration);
        Assert.Equal(ActivityStatusCode.Error, video.Status);
        Assert.Equal(ReasonCodes.Unreadable, video.StatusDescription);
        Assert.DoesNotContain(spans, s => s.DisplayName is TaskNames.ExtractFrames or TaskNames.RunInference or TaskNames.WriteResults);
    }

    [Fact]
    public void The_trace_id_depends_on_the_video_id_alone()
    {
        var id = VideoIds.FromBlob("videos", "a.mp4", "0x1");
        Assert.Equal(PipelineTelemetry.TraceIdOf(id), PipelineTelemetry.TraceIdOf(new string(id.AsSpan())));
        Assert.Equal(PipelineTelemetry.TraceIdOf(id), PipelineTelemetry.ContextOf(id).TraceId);
        Assert.NotEqual(PipelineTelemetry.TraceIdOf(id), PipelineTelemetry.TraceIdOf(VideoIds.FromBlob("videos", "a.mp4", "0x2")));
        // W3C: all-zero ids are invalid; a hash never is in practice, and this pins the derivation.
        Assert.Equal(
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id)))[..32],
            PipelineTelemetry.TraceIdOf(id).ToHexString());
    }

    /// <summary>The trace as a timeline in the test output (<c>--logger "console;verbosity=detailed"</c>).</summary>
    private void Print(List<Activity> spans)
    {
        var start = spans.Min(s => s.StartTimeUtc);
        output.WriteLine($"trace {spans[0].TraceId}");
        foreach (var s in spans.OrderBy(s => s.StartTimeUtc))
        {
            var tags = string.Join(" ", s.TagObjects.Where(t => t.Key != TelemetryTags.VideoId).Select(t => $"{t.Key}={t.Value}"));
            output.WriteLine($"{(s.StartTimeUtc - start).TotalMilliseconds,8:0} ms {s.Duration.TotalMilliseconds,8:0.0} ms  {s.DisplayName,-16} {s.Status,-5} {tags}");
        }
    }

    [Theory]
    [InlineData(600_000, 3)]
    [InlineData(0, 5)]
    public async Task A_short_video_with_a_free_slot_costs_twelve_requests_of_the_pipelines_own_storage_or_fourteen_marked_running(int markAfterMs, int patches)
    {
        var metrics = new List<MetricSnapshot>();
        using var metering = Sdk.CreateMeterProviderBuilder().AddMeter(PipelineTelemetry.MeterName).AddInMemoryExporter(metrics).Build();
        await using var h = await PipelineHarness.StartAsync(configure: x => x.Options.MarkRunningAfter = TimeSpan.FromMilliseconds(markAfterMs));
        // The first video also creates the containers and tables: the second one's requests are what a video costs.
        await h.RunAsync(await TestVideos.ColourAsync(h.Scratch, "red", 160, 120, 25, 2));
        metering.ForceFlush();
        var before = Requests(metrics);
        var (_, outcome, _) = await h.RunAsync(await TestVideos.ColourAsync(h.Scratch, "blue", 160, 120, 25, 2));
        Assert.Equal(VideoStatuses.Completed, outcome.Status);
        metering.ForceFlush();
        var cost = Requests(metrics).ToDictionary(r => r.Key, r => r.Value - before.GetValueOrDefault(r.Key));
        output.WriteLine(string.Join(", ", cost.Select(c => $"{c.Key} {c.Value}")));

        Assert.Equal(
            new Dictionary<string, long>
            {
                // The Queued row; the model rows in one transaction.
                ["table POST"] = 2,
                // The index entry twice (Queued, final) and the final row: done within Pipeline:MarkRunningAfter, the
                // video goes from Queued to Completed with no Running mark; marked at once, the mark on the starter's
                // ETag and the index entry once more.
                ["table PATCH"] = patches,
                // Admission: the starter's ask and the release's, each one query of the holders and the line (the activity
                // goes ahead on the slot its starter took).
                ["table GET"] = 2,
                // The holders written when the starter admits it and when the release gives its slot up.
                ["table PUT"] = 2,
                // The upload read once, facts and bytes together.
                ["blob GET"] = 1,
                // The key-frame strip and the timeline (the colour baseline reads no flow: no flow picture).
                ["blob PUT"] = 2,
            },
            cost.Where(c => c.Value > 0).ToDictionary());
    }

    /// <summary>Storage requests counted so far, by "service method".</summary>
    private static Dictionary<string, long> Requests(List<MetricSnapshot> metrics) =>
        Points(metrics, PipelineTelemetry.StorageRequestsCounter)
            .GroupBy(p => $"{p.Tags[TelemetryTags.StorageService]} {p.Tags[TelemetryTags.Method]}")
            .ToDictionary(g => g.Key, g => g.Sum(p => p.Point.GetSumLong()));

    private static List<Activity> SpansOf(List<Activity> exported, string videoId)
    {
        var spans = exported.Where(s => (string?)s.GetTagItem(TelemetryTags.VideoId) == videoId).ToList();
        Assert.NotEmpty(spans);
        return spans;
    }

    /// <summary>Points of the last export of <paramref name="name"/>, with their tags as a dictionary.</summary>
    private static List<(MetricPoint Point, Dictionary<string, object?> Tags)> Points(List<MetricSnapshot> metrics, string name)
    {
        var snapshot = metrics.Last(m => m.Name == name);
        return snapshot.MetricPoints.Select(p =>
        {
            var tags = new Dictionary<string, object?>();
            foreach (var tag in p.Tags)
            {
                tags[tag.Key] = tag.Value;
            }

            return (p, tags);
        }).ToList();
    }
}
