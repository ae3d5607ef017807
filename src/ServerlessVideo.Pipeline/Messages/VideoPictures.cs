namespace ServerlessVideo.Pipeline.Messages;

/// <summary>
/// The pictures kept with a video's results (each <c>Name</c> is a blob under the video's prefix in the results
/// container): a strip of the frames the models saw, and per optical flow the models read, one frame pair's flow.
/// </summary>
public sealed record VideoPictures(KeyFramesPicture? KeyFrames, IReadOnlyList<FlowPicture> Flows);

/// <summary>A JPEG of frames side by side, tiles of <paramref name="TileWidth"/>×<paramref name="TileHeight"/>, tile i showing the frame at <paramref name="Times"/>[i], seconds.</summary>
public sealed record KeyFramesPicture(string Name, int TileWidth, int TileHeight, IReadOnlyList<double> Times);

/// <summary>
/// A PNG of the optical flow <paramref name="Flow"/> (a flow key: algorithm and bound) from the frame at
/// <paramref name="Time"/> to the next frame of view <paramref name="ViewKey"/>, as the models <paramref name="ModelIds"/> read it.
/// </summary>
public sealed record FlowPicture(string Name, string Flow, string ViewKey, double Time, IReadOnlyList<string> ModelIds);
