namespace ServerlessVideo.Cli;

/// <summary>A usage or input error the CLI reports in one line (exit code 2).</summary>
public sealed class CliException : Exception
{
    public CliException(string message) : base(message) { }

    public CliException() { }

    public CliException(string message, Exception inner) : base(message, inner) { }
}
