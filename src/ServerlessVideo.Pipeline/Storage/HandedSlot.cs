using ServerlessVideo.Pipeline.Messages;

namespace ServerlessVideo.Pipeline.Storage;

/// <summary>
/// A video to wake because it holds a slot: handed one just now from its place in line (<see cref="Job"/> is what that
/// place carried, for a video that has no orchestration yet), or named again (null: it holds its slot but has not
/// started, or its release ran again).
/// </summary>
public sealed record HandedSlot(string VideoId, VideoJob? Job);
