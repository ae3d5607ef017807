namespace ServerlessVideo.Core.Manifests;

/// <summary>What <c>ModelFolders.Scan</c> (ServerlessVideo.Inference) found in a models folder: the manifests that loaded and the folders that did not.</summary>
/// <param name="Models">Valid manifests, ordered by id.</param>
/// <param name="Failed">Model folders whose manifest, labels or model file is unusable, ordered by id.</param>
public sealed record ManifestScan(IReadOnlyList<LoadedModel> Models, IReadOnlyList<UnavailableModel> Failed);
