namespace ServerlessVideo.Core.Manifests;

/// <summary>A model the host knows of but cannot run, and why.</summary>
/// <param name="Id">The model id (its folder name when the manifest itself could not be read).</param>
/// <param name="ReasonCode">A <see cref="ReasonCodes"/> value, <see cref="ReasonCodes.ModelUnavailable"/> today.</param>
/// <param name="Message">What is wrong, for people: the file and the loader's or ONNX Runtime's error.</param>
public sealed record UnavailableModel(string Id, string ReasonCode, string Message);
