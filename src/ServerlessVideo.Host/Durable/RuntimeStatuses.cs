using Microsoft.DurableTask.Client;
using CoreStatus = DurableTask.Core.OrchestrationStatus;

namespace ServerlessVideo.Host.Durable;

/// <summary>Maps DurableTask.Core statuses to Microsoft.DurableTask ones and back (same names, different enums).</summary>
internal static class RuntimeStatuses
{
    public static OrchestrationRuntimeStatus FromCore(CoreStatus status) =>
        Enum.TryParse<OrchestrationRuntimeStatus>(status.ToString(), out var s) ? s : (OrchestrationRuntimeStatus)(int)status;

    public static CoreStatus ToCore(OrchestrationRuntimeStatus status) =>
        Enum.TryParse<CoreStatus>(status.ToString(), out var s) ? s : (CoreStatus)(int)status;
}
