namespace ServerlessVideo.Pipeline.Tests;

/// <summary>
/// Tests that read process-wide telemetry. Listeners see every pipeline in the process and metrics carry no video id,
/// so these run alone, after the parallel tests, and their counts are exact.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry";
}
