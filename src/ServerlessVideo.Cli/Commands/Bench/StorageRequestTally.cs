using System.Diagnostics.Metrics;
using ServerlessVideo.Pipeline.Telemetry;

namespace ServerlessVideo.Cli.Commands.Bench;

/// <summary>
/// Storage requests the in-process worker's own clients have sent since this tally started
/// (<see cref="PipelineTelemetry.StorageRequestsCounter"/>; the durable backend's are not among them), read from the
/// metric as it is recorded: no storage log needed, and nothing added to what is measured.
/// </summary>
internal sealed class StorageRequestTally : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _count;

    public StorageRequestTally()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PipelineTelemetry.MeterName && instrument.Name == PipelineTelemetry.StorageRequestsCounter)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
        _listener.Start();
    }

    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
