using Microsoft.DurableTask;

namespace ServerlessVideo.Pipeline.Activities;

/// <summary>Adapts one <see cref="VideoActivities"/> method to a durable activity.</summary>
internal sealed class VideoActivity<TInput, TOutput>(VideoActivities activities, Func<VideoActivities, TInput, Task<TOutput>> run)
    : TaskActivity<TInput, TOutput>
{
    public override Task<TOutput> RunAsync(TaskActivityContext context, TInput input) =>
        run(activities, input ?? throw new ArgumentNullException(nameof(input), $"Activity {context.Name} got no input."));
}
