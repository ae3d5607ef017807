using System.Diagnostics.Metrics;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessVideo.Pipeline.Messages;
using ServerlessVideo.Pipeline.Storage;
using ServerlessVideo.Pipeline.Telemetry;

namespace ServerlessVideo.Pipeline.Tests;

/// <summary>
/// Videos found together ask for their slots in one go (<see cref="AdmissionStore.TryAdmitManyAsync"/>): the same
/// answers as asking one after another in order of submission, for a handful of requests in all. Real Azurite.
/// </summary>
public sealed class AdmissionBatchTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UtcNow;

    [Fact]
    public async Task A_batch_gets_the_answers_of_asking_one_by_one_in_three_requests()
    {
        await using var together = Store(maxInFlight: 3);
        await using var oneByOne = Store(maxInFlight: 3);
        var jobs = Enumerable.Range(0, 10).Select(i => Job($"v{i}", i + 1)).ToList();
        foreach (var store in new[] { together, oneByOne })
        {
            Assert.Equal((true, 0), await store.Admission.TryAdmitAsync(Job("early", 0), CancellationToken.None));
        }

        var expected = new List<(bool, int)>();
        foreach (var job in jobs)
        {
            expected.Add(await oneByOne.Admission.TryAdmitAsync(job, CancellationToken.None));
        }

        // Found in listing order, not submission order.
        var listed = jobs.OrderByDescending(j => j.VideoId, StringComparer.Ordinal).ToList();
        var before = together.Requests;
        var answers = await together.Admission.TryAdmitManyAsync(listed, CancellationToken.None);

        Assert.Equal(expected, jobs.Select(j => answers[listed.IndexOf(j)]));
        Assert.Equal([(true, 0), (true, 0), (false, 1), (false, 2)], expected.Take(4));
        // The line's query, the holders' write, the eight places in one transaction.
        Assert.Equal(3, together.Requests - before);
        Assert.Equal(await PlacesAsync(oneByOne), await PlacesAsync(together));

        // Asked again together (a re-run listing), nothing changes; the same release hands the same video on in both.
        Assert.Equal(answers, await together.Admission.TryAdmitManyAsync(listed, CancellationToken.None));
        Assert.Equal(
            (await oneByOne.Admission.ReleaseAsync(jobs[0], CancellationToken.None, admitted: true)).Select(s => s.VideoId),
            (await together.Admission.ReleaseAsync(jobs[0], CancellationToken.None, admitted: true)).Select(s => s.VideoId));
    }

    [Fact]
    public async Task A_video_in_line_that_finds_a_slot_free_leaves_its_place_in_the_same_transaction_as_the_next_one_takes_its_own()
    {
        await using var store = Store(maxInFlight: 1);
        var (a, b, c) = (Job("a", 0), Job("b", 1), Job("c", 2));
        Assert.Equal((true, 0), await store.Admission.TryAdmitAsync(a, CancellationToken.None));
        Assert.Equal((false, 1), await store.Admission.TryAdmitAsync(b, CancellationToken.None));

        // a's row is final and it held its slot long enough to be checked: asking finds the slot free.
        await store.Results.TryInsertAsync(VideoRow.Of(a, VideoStatuses.Completed), CancellationToken.None);
        await store.Table.UpsertEntityAsync(new TableEntity("slots", "holders")
        {
            ["Holders"] = System.Text.Json.JsonSerializer.Serialize(new[] { new { Id = "a", Since = T0.AddMinutes(-10) } }),
        });
        var before = store.Requests;
        var answers = await store.Admission.TryAdmitManyAsync([c, b], CancellationToken.None);

        Assert.Equal([(false, 1), (true, 0)], answers);
        Assert.Equal(["c"], await store.Table.QueryAsync<TableEntity>("PartitionKey eq 'waiting'").Select(p => p.GetString("VideoId")).ToListAsync());
        // The line's query, a's row read to free its slot, the holders' write, and one transaction: b's place out, c's in.
        Assert.Equal(4, store.Requests - before);
    }

    [Fact]
    public async Task A_batch_that_fills_the_slots_frees_a_gone_holders_slot_as_the_next_one_asking_alone_would()
    {
        await using var store = Store(maxInFlight: 4);
        var gone = Job("gone", 0);
        await store.Results.TryInsertAsync(VideoRow.Of(gone, VideoStatuses.Completed), CancellationToken.None);
        await store.Table.UpsertEntityAsync(new TableEntity("slots", "holders")
        {
            ["Holders"] = System.Text.Json.JsonSerializer.Serialize(new object[]
            {
                new { Id = "gone", Since = T0.AddMinutes(-10) },
                new { Id = "h1", Since = T0 },
                new { Id = "h2", Since = T0 },
            }),
        });

        // One slot free for j1; j2 then finds them all taken, and gone's video is final: its slot is j2's.
        Assert.Equal([(true, 0), (true, 0), (false, 1)], await store.Admission.TryAdmitManyAsync([Job("j1", 1), Job("j2", 2), Job("j3", 3)], CancellationToken.None));
    }

    private static VideoJob Job(string id, int second) => new(id, "videos", id + ".mp4", "0x1", T0.AddSeconds(second));

    private static Task<int> PlacesAsync(StoreOnAzurite store) =>
        store.Table.QueryAsync<TableEntity>("PartitionKey eq 'waiting'").CountAsync().AsTask();

    private static StoreOnAzurite Store(int maxInFlight) => new(PipelineHarness.UniqueStorage(new PipelineOptions { MaxVideosInFlight = maxInFlight }));

    /// <summary>An admission store of its own on the shared Azurite, counting the storage requests it sends.</summary>
    private sealed class StoreOnAzurite : IAsyncDisposable
    {
        private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        private readonly PipelineTelemetry _telemetry;
        private readonly MeterListener _listener = new();
        private long _requests;

        public StoreOnAzurite(PipelineOptions options)
        {
            var meters = _services.GetRequiredService<IMeterFactory>();
            _telemetry = new PipelineTelemetry(meters);
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                // This store's meter only: other tests' pipelines count into meters of the same name meanwhile.
                if (instrument.Name == PipelineTelemetry.StorageRequestsCounter && instrument.Meter.Scope == meters)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _requests, value));
            _listener.Start();
            var wrapped = Options.Create(options);
            var storage = new StorageClients(wrapped, _telemetry);
            Results = new ResultStore(storage);
            Admission = new AdmissionStore(storage, Results, wrapped, TimeProvider.System);
            Table = new TableClient(options.StorageConnectionString, options.AdmissionTable);
        }

        public AdmissionStore Admission { get; }

        public ResultStore Results { get; }

        public TableClient Table { get; }

        public long Requests => Interlocked.Read(ref _requests);

        public async ValueTask DisposeAsync()
        {
            _listener.Dispose();
            _telemetry.Dispose();
            await _services.DisposeAsync();
        }
    }
}
