using ServerlessVideo.Core.Manifests;

namespace ServerlessVideo.Pipeline.Messages;

/// <summary>Compute one optical flow over the RGB clip tensors of one segment of one view.</summary>
public sealed record FlowRequest(string VideoId, string ViewKey, FlowSpec Flow, int SegmentIndex, IReadOnlyList<string> ClipBlobs) : IVideoMessage;
