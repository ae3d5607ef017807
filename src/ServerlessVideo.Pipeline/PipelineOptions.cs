namespace ServerlessVideo.Pipeline;

/// <summary>Where the pipeline keeps things and how it spreads work. Bound from configuration section <c>Pipeline</c>.</summary>
public sealed class PipelineOptions
{
    public const string Section = "Pipeline";

    /// <summary>Storage connection string (Azurite, or an account with shared keys). Leave empty to use <see cref="StorageAccountName"/>.</summary>
    public string StorageConnectionString { get; set; } = string.Empty;

    /// <summary>Account reached with a Microsoft Entra identity (managed identity in Azure) when no connection string is set.</summary>
    public string StorageAccountName { get; set; } = string.Empty;

    /// <summary>Client id of the user-assigned managed identity; empty for the default credential chain.</summary>
    public string ManagedIdentityClientId { get; set; } = string.Empty;

    /// <summary>True when one of the two ways to reach storage is configured.</summary>
    public bool HasStorage => !string.IsNullOrWhiteSpace(StorageConnectionString) || !string.IsNullOrWhiteSpace(StorageAccountName);

    /// <summary>Container users upload videos to.</summary>
    public string VideosContainer { get; set; } = "videos";

    /// <summary>Container for intermediate artifacts, one prefix per video, deleted when the video completes.</summary>
    public string ArtifactsContainer { get; set; } = "artifacts";

    /// <summary>Container for what is kept of each video beside its rows: <c>{videoId}/timeline.json</c>, every clip's scores.</summary>
    public string ResultsContainer { get; set; } = "results";

    /// <summary>Table with one row per video.</summary>
    public string VideosTable { get; set; } = "videos";

    /// <summary>Table with one row per (video, model).</summary>
    public string ModelResultsTable { get; set; } = "videomodels";

    /// <summary>Table of processing slots and the queue waiting for them (see <see cref="MaxVideosInFlight"/>).</summary>
    public string AdmissionTable { get; set; } = "admission";

    /// <summary>Table of every video newest first (a copy of its row's columns), which lists and filters read.</summary>
    public string VideoIndexTable { get; set; } = "videoindex";

    /// <summary>
    /// Videos processed at once across the task hub (every worker sharing it); later ones wait, first submitted first,
    /// so each finishes about its own processing time after it starts instead of all finishing together at the end of
    /// a batch. Default: the processor count (on 2 cores a 40-clip batch took as long with 2 as with 4 in flight, and
    /// each video 1 s instead of 2.6 s at the 95th percentile). Raise it with the number of workers.
    /// </summary>
    public int MaxVideosInFlight { get; set; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>
    /// The models to run: model ids and label spaces, comma-separated (e.g. <c>synthmotion</c>, or
    /// <c>r3d-18-k400,kinetics-400</c>); empty or <c>*</c> runs every model that loads. An upload's <c>models</c>
    /// metadata replaces it for that video.
    /// </summary>
    public string? Models { get; set; }

    /// <summary>How many labels results keep, best first.</summary>
    public int TopK { get; set; } = 5;

    /// <summary>
    /// Open set: a video whose consensus is less sure than this gets the label <c>unknown</c> (its candidates stay in
    /// <c>labels</c>); 0 always takes the best label. The default keeps at least 99 % of the built-in models' right
    /// answers on 600 SynthMotion validation videos (<c>./sv train open-set</c>: all of them with today's models, whose
    /// right answers' 1st percentile is 0.48).
    /// </summary>
    public double UnknownBelow { get; set; } = 0.30;

    /// <summary>
    /// Shot detection: a frame whose scene-change score (0–1) exceeds this starts a new shot; clips are then planned per
    /// shot and the result gets per-shot labels. 0 (the default) skips it: it costs one more decode of every frame (at
    /// 160 px wide), before the clips are decoded.
    /// </summary>
    public double ShotThreshold { get; set; }

    /// <summary>
    /// Keep pictures with the results: a strip of key frames and a flow picture per optical flow, made from the decoded
    /// clips (no extra decode) and shown on the video's page. False skips them (two or three fewer blob writes per video).
    /// </summary>
    public bool Pictures { get; set; } = true;

    /// <summary>
    /// With shot detection on, each shot gets a model's clips per video (as if it were a video of its own) while a view
    /// then has at most this many clips; beyond that, the clips are shared among the shots by length, at least one each.
    /// </summary>
    public int MaxShotClips { get; set; } = 48;

    /// <summary>Clips per extraction and inference work item.</summary>
    public int ClipsPerSegment { get; set; } = 4;

    /// <summary>What the planner takes from these settings.</summary>
    public Core.Planning.PlanOptions Planning() => new() { ClipsPerSegment = ClipsPerSegment, MaxShotClips = MaxShotClips };

    /// <summary>
    /// A video shows Running once its first activity (probe and plan, and the whole work of a short video) has lasted
    /// this long, or when that activity hands a longer video on, whichever comes first: a short video done sooner goes
    /// from Queued straight to its final status, with two storage writes fewer (its row and index entry). Zero marks
    /// every video Running as its work starts.
    /// </summary>
    public TimeSpan MarkRunningAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Longest an HTTP API request waits for storage (table reads, the durable client's instance lookup) before it
    /// answers 503 <c>storage_unavailable</c>. The worker's own storage calls keep the SDK's longer retries.
    /// </summary>
    public TimeSpan ApiTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Videos of at least this many bytes are not downloaded: ffprobe and ffmpeg read them from storage with HTTP range
    /// requests through a read-only SAS valid for <see cref="StreamAccess"/>, so the probe reads the container's header
    /// and each decode the GOPs it needs. Unset (the default), every video is downloaded first: on a worker beside its
    /// storage that is faster (see the README's benchmark); 0 streams every video.
    /// </summary>
    public long? StreamFromBytes { get; set; }

    /// <summary>How long the read-only SAS of a streamed video stays valid (it must outlast the longest decode).</summary>
    public TimeSpan StreamAccess { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Local folder for downloaded videos while a worker processes them.</summary>
    public string WorkFolder { get; set; } = Path.Combine(Path.GetTempPath(), "serverlessvideo");
}
