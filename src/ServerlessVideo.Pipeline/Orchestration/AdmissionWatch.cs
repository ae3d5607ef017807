using Microsoft.DurableTask;
using ServerlessVideo.Pipeline.Messages;

namespace ServerlessVideo.Pipeline.Orchestration;

/// <summary>
/// Looks after the line of videos waiting for a processing slot, one instance per task hub
/// (<see cref="TaskNames.AdmissionWatchId"/>), started by the starter when it puts a video in line. Every
/// <see cref="Interval"/> it sweeps the admission table (<see cref="Storage.AdmissionStore.SweepAsync"/>) and wakes whom
/// the sweep names; it ends after two sweeps in a row found nobody waiting. A finishing video hands its slot on and
/// wakes the next itself; the watch is for what that cannot cover: a holder that ended without handing its slot on (terminated, or failed past its own handler), or
/// a wake-up that was lost. One timer per task hub while anyone waits, instead of one per waiting video.
/// </summary>
public sealed class AdmissionWatch : TaskOrchestrator<int, bool>
{
    /// <summary>Time between sweeps.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    /// <summary>Sweeps per orchestration history before it continues as new (keeping the history bounded).</summary>
    private const int SweepsPerHistory = 40;

    public override async Task<bool> RunAsync(TaskOrchestrationContext context, int input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sweeps = input;
        var idle = 0;
        while (true)
        {
            await context.CreateTimer(Interval, CancellationToken.None);
            if (sweeps - input >= SweepsPerHistory)
            {
                // Continued right after a timer, in an episode that sends nothing: the previous sweep's wake-ups went
                // out with the episode that sent them.
                context.ContinueAsNew(sweeps);
                return true;
            }

            sweeps++;
            SweepOutcome sweep;
            try
            {
                sweep = await context.CallActivityAsync<SweepOutcome>(TaskNames.SweepAdmission, new SweepRequest(context.CurrentUtcDateTime));
            }
            catch (TaskFailedException)
            {
                // Storage failed this time: keep watching, the next sweep tries again.
                continue;
            }

            // Ends after two sweeps in a row found nobody waiting: a video put in line while the first one looked is
            // seen by the second.
            idle = sweep.Waiting ? 0 : idle + 1;
            if (idle >= 2)
            {
                return false;
            }
        }
    }
}
