namespace ServerlessVideo.Pipeline.Messages;

/// <summary>
/// The videos a sweep handed a slot to, or found holding one for a while without having started (the watch wakes
/// them), and whether anyone still waits: in line, or holding a slot and not started yet (the watch keeps going only
/// while someone does).
/// </summary>
public sealed record SweepOutcome(IReadOnlyList<string> Woken, bool Waiting);
