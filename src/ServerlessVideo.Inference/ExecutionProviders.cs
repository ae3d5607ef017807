namespace ServerlessVideo.Inference;

/// <summary>Names of the execution providers a result can record.</summary>
public static class ExecutionProviders
{
    public const string Cpu = "CPUExecutionProvider";
    public const string Cuda = "CUDAExecutionProvider";
}
