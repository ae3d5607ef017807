using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using ServerlessVideo.Pipeline;
using ServerlessVideo.Pipeline.Messages;
using ServerlessVideo.Pipeline.Orchestration;

namespace ServerlessVideo.Functions;

/// <summary>The orchestrators, bound under the names every host uses; the logic is the shared <see cref="VideoOrchestrator"/> and <see cref="AdmissionWatch"/>.</summary>
public static class VideoOrchestration
{
    [Function(TaskNames.VideoOrchestration)]
    public static Task<VideoOutcome> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new VideoOrchestrator().RunAsync(context, context.GetInput<VideoJob>()
            ?? throw new InvalidOperationException("The orchestration was started without a VideoJob."));

    [Function(TaskNames.AdmissionWatch)]
    public static Task<bool> WatchAdmissionAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new AdmissionWatch().RunAsync(context, context.GetInput<int>());
}
