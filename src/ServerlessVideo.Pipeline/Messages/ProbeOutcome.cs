using ServerlessVideo.Core;

namespace ServerlessVideo.Pipeline.Messages;

/// <summary>Either the probe or the reason the input was refused; refusals are data, not exceptions, so no retry runs.</summary>
public sealed record ProbeOutcome(VideoProbe? Probe, VideoFailure? Failure);
