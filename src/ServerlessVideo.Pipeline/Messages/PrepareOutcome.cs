using ServerlessVideo.Core;
using ServerlessVideo.Core.Planning;

namespace ServerlessVideo.Pipeline.Messages;

/// <summary>
/// Not admitted yet (<see cref="QueuePosition"/> says how many are ahead, 1 = next); or admitted with its start time
/// and either the probe and plan or the reason the input was refused. Refusals are data, not exceptions, so no retry runs.
/// <see cref="Finished"/>: a short video was processed and written to the end in the same activity (see
/// <see cref="PrepareRequest.FinishShort"/>); then nothing else is returned.
/// </summary>
public sealed record PrepareOutcome(bool Admitted, int QueuePosition, DateTimeOffset? StartedAt, VideoProbe? Probe, VideoPlan? Plan, VideoFailure? Failure)
{
    public FinishOutcome? Finished { get; init; }

    public static PrepareOutcome Queued(int position) => new(false, position, null, null, null, null);
}
