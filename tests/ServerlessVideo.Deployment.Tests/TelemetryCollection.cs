namespace ServerlessVideo.Deployment.Tests;

/// <summary>
/// Tests that read process-wide telemetry or swap the console: listeners see every provider's sources in the process,
/// so these run alone, after the parallel tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry";
}
