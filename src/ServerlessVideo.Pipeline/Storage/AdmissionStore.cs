using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ServerlessVideo.Pipeline.Messages;

namespace ServerlessVideo.Pipeline.Storage;

/// <summary>
/// At most <see cref="PipelineOptions.MaxVideosInFlight"/> videos hold a processing slot; the others wait in order of
/// submission. The holders are one row updated with optimistic concurrency (its ETag), so two workers cannot both take
/// the last slot; each waiting video is a row keyed by its submission time. A holder whose video row is already final
/// (its orchestration ended without releasing, e.g. it was terminated), or that still has no row
/// <see cref="MissingRowGrace"/> after its admission (its row lives elsewhere, or was deleted), loses its slot when the
/// slots are full.
/// </summary>
public sealed class AdmissionStore(StorageClients storage, ResultStore results, IOptions<PipelineOptions> options, TimeProvider time)
{
    /// <summary>A holder whose video has had no row for this long since it was admitted is taken to be gone.</summary>
    public static readonly TimeSpan MissingRowGrace = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A holder admitted less than this long ago is taken to be alive without reading its row: a short video is done
    /// within it, so a line of waiting videos does not read the holders' rows on every ask. One that did end without
    /// releasing its slot loses it this much later.
    /// </summary>
    public static readonly TimeSpan PruneAfter = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A video holding a slot this long whose row still says Queued is woken again by the admission watch: its wake-up
    /// was lost (or its first activity waits behind others, and the extra wake-up is ignored).
    /// </summary>
    public static readonly TimeSpan RewakeAfter = TimeSpan.FromSeconds(20);

    /// <summary>
    /// A video holding a slot this long whose row still says Queued loses it: its orchestration is gone (failed on
    /// replay, terminated while it waited) or stuck; if it is alive after all, its next ask takes its place in line again.
    /// </summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long after its slot became its own (taken by its starter, or handed on and its wake-up arrived) a video's
    /// activity takes the slot as held without reading the holders. A slot is taken back only when its video's row is
    /// final, missing for <see cref="MissingRowGrace"/>, or still Queued after <see cref="GiveUpAfter"/>: none of which
    /// can happen this soon.
    /// </summary>
    public static readonly TimeSpan TrustHandOffFor = TimeSpan.FromMinutes(1);

    /// <summary>What a slot handed on by the admission watch names as the video that handed it.</summary>
    private const string WatchHolder = "admission-watch";

    private const string SlotsPartition = "slots";
    private const string SlotsRow = "holders";
    private const string WaitingPartition = "waiting";
    private const int Attempts = 50;

    /// <summary>What the line's query reads: the holders from the slots row, the video and its job from a place (and each row's ETag).</summary>
    private static readonly string[] LineColumns = ["PartitionKey", "RowKey", "Holders", "VideoId", "Job"];

    /// <summary>Filters are strings: LINQ filters compile an expression (new code to JIT) on every call.</summary>
    private static readonly string WaitingFilter = TableClient.CreateQueryFilter($"PartitionKey eq {WaitingPartition}");

    private static readonly string SlotsFilter = TableClient.CreateQueryFilter($"PartitionKey eq {SlotsPartition} and RowKey eq {SlotsRow}");

    /// <summary>
    /// Admits the video if it already holds a slot or is first in line for a free one; else its place in line (1 = next).
    /// One query reads the holders and the line up to this video; a video that must wait then writes its place, one
    /// admitted writes the holders (on their ETag, so two workers cannot both take the last slot). A slot freed between
    /// the read and the place's write is handed on by the <see cref="Orchestration.AdmissionWatch"/>'s sweep.
    /// </summary>
    public async Task<(bool Admitted, int Position)> TryAdmitAsync(VideoJob job, CancellationToken cancellationToken) =>
        (await TryAdmitManyAsync([job], cancellationToken))[0];

    /// <summary>
    /// <see cref="TryAdmitAsync"/> for several videos found together (a batch dropped at once), each answered as if
    /// they had asked one after another in order of submission: one query of the holders and the line, at most one write
    /// of the holders, and one transaction for the places written and removed, whatever their number.
    /// </summary>
    public async Task<IReadOnlyList<(bool Admitted, int Position)>> TryAdmitManyAsync(IReadOnlyList<VideoJob> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
        {
            return [];
        }

        await storage.EnsureCreatedAsync();
        // The same video twice (one place, one answer) is asked for once.
        var asking = jobs.Select(job => (Job: job, Key: WaitingKey(job)))
            .DistinctBy(a => a.Key, StringComparer.Ordinal)
            .OrderBy(a => a.Key, StringComparer.Ordinal).ToList();
        var keys = asking.Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var (slots, holders, line) = await ReadLineAsync(asking[^1].Key, null, cancellationToken);
            var others = line.Where(row => !keys.Contains(row.RowKey)).Select(row => row.RowKey).ToList();
            var queued = line.Where(row => keys.Contains(row.RowKey)).Select(row => row.RowKey).ToHashSet(StringComparer.Ordinal);
            var answers = new Dictionary<string, (bool Admitted, int Position)>(StringComparer.Ordinal);
            var waitingBefore = 0;
            var admitted = false;
            var pruned = false;
            var places = new List<TableTransactionAction>();
            foreach (var (job, key) in asking)
            {
                if (holders.Any(h => h.Id == job.VideoId))
                {
                    answers[key] = (true, 0);
                    continue;
                }

                // Ahead of it: the places of other videos before it, and those of this call that wait before it.
                var ahead = others.Count(other => string.CompareOrdinal(other, key) < 0) + waitingBefore;
                if (Max - holders.Count <= ahead && holders.Count >= Max && !pruned)
                {
                    // As one asking alone would: with every slot taken, see whether a holder is gone.
                    holders = await PruneAsync(holders, cancellationToken);
                    pruned = true;
                }

                var free = Max - holders.Count;
                if (free <= ahead)
                {
                    answers[key] = (false, ahead - free + 1);
                    waitingBefore++;
                    if (!queued.Contains(key))
                    {
                        places.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, Place(job, key)));
                    }

                    continue;
                }

                holders.Add(new Holder(job.VideoId, time.GetUtcNow()));
                admitted = true;
                answers[key] = (true, 0);
                if (queued.Contains(key))
                {
                    places.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(WaitingPartition, key), ETag.All));
                }
            }

            if (admitted && !await TryWriteSlotsAsync(slots, holders, cancellationToken))
            {
                continue;
            }

            await WritePlacesAsync(places, cancellationToken);
            return [.. jobs.Select(job => answers[WaitingKey(job)])];
        }

        throw new RequestFailedException(409, "The admission row kept changing; try again.");
    }

    /// <summary>Whether any video has a place in line.</summary>
    public async Task<bool> AnyWaitingAsync(CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync();
        await foreach (var page in storage.Admission.QueryAsync<TableEntity>(
            WaitingFilter, maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken).AsPages())
        {
            return page.Values.Count > 0;
        }

        return false;
    }

    /// <summary>
    /// The video's place in line now (1 = next), read from the line: null when it has none (it holds a slot, is done, or
    /// was never put in line).
    /// </summary>
    public async Task<int?> PositionAsync(string videoId, DateTimeOffset submittedAt, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync();
        var key = WaitingKey(videoId, submittedAt);
        var (_, holders, line) = await ReadLineAsync(key, null, cancellationToken);
        if (line.Count == 0 || line[^1].RowKey != key)
        {
            return null;
        }

        // Places a hand-off left behind (their video holds a slot) are not ahead of anyone.
        var ahead = line.Take(line.Count - 1).Count(row => !holders.Any(h => h.Id == row.GetString("VideoId")));
        return Math.Max(1, ahead - Math.Max(0, Max - holders.Count) + 1);
    }

    /// <summary>The videos that have a place in line.</summary>
    public async Task<HashSet<string>> WaitingIdsAsync(CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in storage.Admission.QueryAsync<TableEntity>(WaitingFilter, select: ["VideoId"], cancellationToken: cancellationToken))
        {
            ids.Add(row.GetString("VideoId"));
        }

        return ids;
    }

    /// <summary>A video's place in line, with its job: the hand-off that gives it a slot starts it from there.</summary>
    private static TableEntity Place(VideoJob job, string key) =>
        new(WaitingPartition, key)
        {
            ["VideoId"] = job.VideoId,
            ["Job"] = JsonSerializer.Serialize(job.WithoutSlot(), PipelineJson.Options),
        };

    /// <summary>
    /// Writes and removes places in line: one request for one, one transaction per hundred for more (they share a
    /// partition). A transaction refused because a place to remove is gone already is done one place at a time.
    /// </summary>
    private async Task WritePlacesAsync(List<TableTransactionAction> places, CancellationToken cancellationToken)
    {
        if (places.Count > 1)
        {
            try
            {
                foreach (var chunk in places.Chunk(100))
                {
                    await storage.Admission.SubmitTransactionAsync(chunk, cancellationToken);
                }

                return;
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 404)
            {
                // Someone removed one of them meanwhile; the rest still need doing.
            }
        }

        foreach (var place in places)
        {
            if (place.ActionType == TableTransactionActionType.Delete)
            {
                await DeleteWaitingAsync(place.Entity.RowKey, cancellationToken);
            }
            else
            {
                await storage.Admission.UpsertEntityAsync((TableEntity)place.Entity, TableUpdateMode.Replace, cancellationToken);
            }
        }
    }

    /// <summary>The job a place in line carries; null for a place written before places carried one.</summary>
    private static VideoJob? JobOf(TableEntity place) =>
        place.GetString("Job") is { Length: > 0 } json ? JsonSerializer.Deserialize<VideoJob>(json, PipelineJson.Options) : null;

    /// <summary>
    /// Gives the video's slot (or, unless it was <paramref name="admitted"/>, its place in line) up and hands free slots
    /// to the first in line; returns those it admitted. Run again (its completion was lost and the activity re-ran), it
    /// returns the same videos again, still holding the slots it gave them, so none misses its wake-up. An admitted
    /// video has no place in line: its own ask, or the release that handed it the slot, removed it.
    /// </summary>
    public async Task<IReadOnlyList<HandedSlot>> ReleaseAsync(VideoJob job, CancellationToken cancellationToken, bool admitted = false)
    {
        ArgumentNullException.ThrowIfNull(job);
        await storage.EnsureCreatedAsync();
        if (!admitted)
        {
            await DeleteWaitingAsync(WaitingKey(job), cancellationToken);
        }

        return (await HandOffAsync(job.VideoId, cancellationToken)).Woken;
    }

    /// <summary>
    /// What the admission watch does while videos wait: frees the slots of holders that are gone (see
    /// <see cref="CheckHoldersAsync"/>), hands free slots to the first in line, and names again the videos that have
    /// held a slot for more than <see cref="RewakeAfter"/> without starting (their wake-up was lost); with whether
    /// anyone still waits.
    /// </summary>
    public async Task<(IReadOnlyList<HandedSlot> Woken, bool Waiting)> SweepAsync(CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync();
        return await HandOffAsync(null, cancellationToken);
    }

    /// <summary>
    /// Hands the free slots (after <paramref name="releasing"/>'s slot is given up, or, for a sweep, after gone holders
    /// are dropped) to the first in line. Returns the videos to wake and whether anyone is left waiting.
    /// </summary>
    private async Task<(IReadOnlyList<HandedSlot> Woken, bool Waiting)> HandOffAsync(string? releasing, CancellationToken cancellationToken)
    {
        var by = releasing ?? WatchHolder;
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            // Enough of the line for every free slot, past the places holders may have left behind.
            var (slots, read, line) = await ReadLineAsync(null, 2 * Max + 2, cancellationToken);
            var (holders, before, again, unstarted) = await SettleHoldersAsync(read, releasing, cancellationToken);
            var next = new List<TableEntity>();
            var leftover = new List<TableEntity>();
            var waiting = false;
            foreach (var row in line)
            {
                var id = row.GetString("VideoId");
                if (id == releasing || holders.Any(h => h.Id == id))
                {
                    // A place left behind by a video that has (or had) a slot: a hand-off whose delete failed.
                    leftover.Add(row);
                    continue;
                }

                if (holders.Count + next.Count >= Max)
                {
                    waiting = true;
                    break;
                }

                next.Add(row);
            }

            foreach (var row in leftover)
            {
                await DeleteWaitingAsync(row.RowKey, cancellationToken);
            }

            // Someone in line, or handed a slot and not started yet (its wake-up may have been lost), needs the watch.
            waiting |= unstarted;

            // A sweep that changes nothing writes nothing.
            if (releasing is null && next.Count == 0 && holders.Count == before)
            {
                return ([.. again.Select(id => new HandedSlot(id, null))], waiting);
            }

            holders.AddRange(next.Select(n => new Holder(n.GetString("VideoId"), time.GetUtcNow(), by)));
            if (await TryWriteSlotsAsync(slots, holders, cancellationToken))
            {
                foreach (var row in next)
                {
                    await DeleteWaitingAsync(row.RowKey, cancellationToken);
                }

                return ([.. again.Select(id => new HandedSlot(id, null)), .. next.Select(n => new HandedSlot(n.GetString("VideoId"), JobOf(n)))], waiting || next.Count > 0);
            }
        }

        throw new RequestFailedException(409, "The admission row kept changing; try again.");
    }

    /// <summary>
    /// The holders once <paramref name="releasing"/> has given its slot up (and the videos its release already handed
    /// slots to, to wake again), or, for a sweep, once gone holders are dropped (and the stalled ones to wake again, and
    /// whether any may not have started); with how many there were before.
    /// </summary>
    private async Task<(List<Holder> Holders, int Before, List<string> Again, bool Unstarted)> SettleHoldersAsync(
        List<Holder> holders, string? releasing, CancellationToken cancellationToken)
    {
        var before = holders.Count;
        if (releasing is null)
        {
            var (alive, stalled, unstarted) = await CheckHoldersAsync(holders, cancellationToken);
            return (alive, before, stalled, unstarted);
        }

        holders.RemoveAll(h => h.Id == releasing);
        return (holders, before, [.. holders.Where(h => h.By == releasing).Select(h => h.Id)], false);
    }

    private int Max => Math.Max(1, options.Value.MaxVideosInFlight);

    /// <summary>Time-ordered, so a partition scan is the line in order of submission.</summary>
    private static string WaitingKey(VideoJob job) => WaitingKey(job.VideoId, job.SubmittedAt);

    private static string WaitingKey(string videoId, DateTimeOffset submittedAt) =>
        string.Create(CultureInfo.InvariantCulture, $"{submittedAt.UtcTicks:D19}-{videoId}");

    /// <summary>
    /// The holders (with their row, for its ETag) and the places in line, up to and including <paramref name="upTo"/>
    /// when given, at most <paramref name="take"/> of them when given, in order. One query: "slots" sorts before
    /// "waiting", and a partition's rows by key.
    /// </summary>
    private async Task<(TableEntity? Slots, List<Holder> Holders, List<TableEntity> Line)> ReadLineAsync(string? upTo, int? take, CancellationToken cancellationToken)
    {
        var places = upTo is null ? WaitingFilter : $"{WaitingFilter} and {TableClient.CreateQueryFilter($"RowKey le {upTo}")}";
        var filter = $"({SlotsFilter}) or ({places})";
        TableEntity? slots = null;
        var line = new List<TableEntity>();
        await foreach (var row in storage.Admission.QueryAsync<TableEntity>(filter, maxPerPage: take + 1, select: LineColumns, cancellationToken: cancellationToken))
        {
            if (row.PartitionKey == SlotsPartition)
            {
                slots = row;
                continue;
            }

            line.Add(row);
            if (line.Count == take)
            {
                // Before the enumeration asks for another page.
                break;
            }
        }

        return (slots, ParseHolders(slots?.GetString("Holders")), line);
    }

    /// <summary>The holders' JSON; bare ids (the first format, with no admission time) count as admitted long ago.</summary>
    private static List<Holder> ParseHolders(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String
            ? new Holder(e.GetString()!, DateTimeOffset.MinValue)
            : e.Deserialize<Holder>()!)];
    }

    /// <summary>A video holding a slot, since when, and the video whose release handed it the slot (null if it took a free one).</summary>
    private sealed record Holder(string Id, DateTimeOffset Since, string? By = null);

    /// <summary>Writes the holders if nobody else did since they were read; false when someone did (read again).</summary>
    private async Task<bool> TryWriteSlotsAsync(TableEntity? read, List<Holder> holders, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(SlotsPartition, SlotsRow) { ["Holders"] = JsonSerializer.Serialize(holders) };
        try
        {
            if (read is null)
            {
                await storage.Admission.AddEntityAsync(entity, cancellationToken);
            }
            else
            {
                await storage.Admission.UpdateEntityAsync(entity, read.ETag, TableUpdateMode.Replace, cancellationToken);
            }

            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }

    private async Task<List<Holder>> PruneAsync(List<Holder> holders, CancellationToken cancellationToken) =>
        (await CheckHoldersAsync(holders, cancellationToken)).Alive;

    /// <summary>
    /// The holders still alive: one admitted less than <see cref="PruneAfter"/> ago is, unread; an older one is unless
    /// its video's row is final, missing for <see cref="MissingRowGrace"/>, or still Queued after
    /// <see cref="GiveUpAfter"/>. Also the ones holding their slot more than <see cref="RewakeAfter"/> whose video still
    /// has not started, and whether any holder may not have started (admitted recently, unread, or still Queued).
    /// </summary>
    private async Task<(List<Holder> Alive, List<string> Stalled, bool Unstarted)> CheckHoldersAsync(List<Holder> holders, CancellationToken cancellationToken)
    {
        var alive = new List<Holder>(holders.Count);
        var stalled = new List<string>();
        var unstarted = false;
        var now = time.GetUtcNow();
        foreach (var holder in holders)
        {
            if (now - holder.Since < PruneAfter)
            {
                alive.Add(holder);
                unstarted = true;
                continue;
            }

            var row = await results.GetAsync(holder.Id, cancellationToken);
            var gone = row is null ? now - holder.Since > MissingRowGrace : VideoStatuses.IsFinal(row.Status);
            if (gone)
            {
                continue;
            }

            if (row?.Status is null or VideoStatuses.Queued)
            {
                if (now - holder.Since > GiveUpAfter)
                {
                    continue;
                }

                unstarted = true;
                if (row is not null && now - holder.Since > RewakeAfter)
                {
                    stalled.Add(holder.Id);
                }
            }

            alive.Add(holder);
        }

        return (alive, stalled, unstarted);
    }

    private async Task DeleteWaitingAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Admission.DeleteEntityAsync(WaitingPartition, key, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Already gone.
        }
    }
}
