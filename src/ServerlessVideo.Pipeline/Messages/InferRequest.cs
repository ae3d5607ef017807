using ServerlessVideo.Core.Manifests;

namespace ServerlessVideo.Pipeline.Messages;

/// <summary>
/// Run every model of one view over one segment's clips (read once), computing the optical flows those models read
/// from the same clips first.
/// </summary>
public sealed record InferRequest(
    string VideoId, string ViewKey, int SegmentIndex, IReadOnlyList<string> ModelIds, IReadOnlyList<FlowSpec> Flows, string ClipsBlob) : IVideoMessage;
