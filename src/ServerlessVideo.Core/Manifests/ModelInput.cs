namespace ServerlessVideo.Core.Manifests;

/// <summary>One ONNX graph input and how a clip is laid out in it.</summary>
/// <param name="Name">Input name in the ONNX graph.</param>
/// <param name="Layout">Tensor layout: <c>NCTHW</c>, <c>NTCHW</c> (one clip per batch row) or <c>NCHW</c> (one frame per batch row; outputs averaged over the clip's frames).</param>
/// <param name="Stream">Which stream feeds it: <c>rgb</c> (flow arrives with the optical-flow stage).</param>
public sealed record ModelInput(string Name, string Layout, string Stream = "rgb");
