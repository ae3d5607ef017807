namespace ServerlessVideo.Core.Manifests;

/// <summary>A manifest (or the model it describes) is unusable; the message names the file and what is wrong.</summary>
public sealed class ManifestException : Exception
{
    public ManifestException(string message) : base(message) { }

    public ManifestException(string message, Exception inner) : base(message, inner) { }

    public ManifestException() { }
}
