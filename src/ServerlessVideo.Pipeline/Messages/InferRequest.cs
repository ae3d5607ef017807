namespace ServerlessVideo.Pipeline.Messages;

/// <summary>
/// Run one model over one segment: per stream the model reads (<c>rgb</c>, or a flow key such as
/// <c>flow-tvl1-b8</c>), the blob names of that segment's tensors in clip order.
/// </summary>
public sealed record InferRequest(string VideoId, string ModelId, int SegmentIndex, IReadOnlyDictionary<string, IReadOnlyList<string>> Streams) : IVideoMessage;
