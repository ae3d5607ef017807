using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using ServerlessVideo.Pipeline.Telemetry;

namespace ServerlessVideo.Pipeline.Activities;

/// <summary>Adapts one <see cref="VideoActivities"/> method to a durable activity, traced like the Functions wrappers.</summary>
internal sealed class VideoActivity<TInput, TOutput>(
    VideoActivities activities, PipelineTelemetry telemetry, DurableTaskClient client, Func<VideoActivities, TInput, DurableTaskClient, Task<TOutput>> run)
    : TaskActivity<TInput, TOutput>
{
    public override Task<TOutput> RunAsync(TaskActivityContext context, TInput input) =>
        telemetry.RunAsync(
            context.Name,
            input ?? throw new ArgumentNullException(nameof(input), $"Activity {context.Name} got no input."),
            i => run(activities, i, client));
}
