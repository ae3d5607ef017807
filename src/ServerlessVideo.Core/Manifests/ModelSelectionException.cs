namespace ServerlessVideo.Core.Manifests;

/// <summary>A model selection names a model id or label space that no model here has.</summary>
public sealed class ModelSelectionException : Exception
{
    public ModelSelectionException()
    {
    }

    public ModelSelectionException(string message)
        : base(message)
    {
    }

    public ModelSelectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
