namespace ServerlessVideo.Media;

/// <summary>
/// Where ffprobe and ffmpeg read a video: a local file, or a URL they read with HTTP range requests (a blob with a
/// read-only shared access signature), so that probing reads the container's header and a decode the byte ranges of
/// the GOPs it needs instead of the whole file. <see cref="Name"/> is what logs and messages may show (never the
/// signature).
/// </summary>
public sealed record MediaInput
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private MediaInput(string url, Uri uri, string name, long sizeBytes, bool isRemote)
    {
        Url = url;
        Uri = uri;
        Name = name;
        SizeBytes = sizeBytes;
        IsRemote = isRemote;
    }

    /// <summary>The input as ffmpeg is given it.</summary>
    public string Url { get; }

    /// <summary>The input as a URI (what FFMpegCore's probe takes).</summary>
    public Uri Uri { get; }

    /// <summary>A path, or the URL without its query: safe to log.</summary>
    public string Name { get; }

    public long SizeBytes { get; }

    public bool IsRemote { get; }

    /// <summary>A local file, passed as an explicit <c>file:</c> URL so no name can be read as another protocol.</summary>
    public static MediaInput File(string path) => new(InputSafety.FileUrl(path), new Uri(Path.GetFullPath(path)), path, new FileInfo(path).Length, false);

    /// <summary>An http(s) URL of <paramref name="sizeBytes"/> bytes that grants read access by itself (a SAS).</summary>
    public static MediaInput Remote(Uri url, long sizeBytes)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException($"A remote input must be http(s), not {url.Scheme}.", nameof(url));
        }

        return new MediaInput(url.AbsoluteUri, url, url.GetLeftPart(UriPartial.Path), sizeBytes, true);
    }

    /// <summary>
    /// Options to put before <c>-i</c>: only the protocols this input needs (<c>file</c>, or http(s) over tcp/tls) and
    /// only single-file demuxers (<see cref="InputSafety.AllowedDemuxers"/>).
    /// </summary>
    public IReadOnlyList<string> InputArguments =>
        ["-protocol_whitelist", IsRemote ? "http,https,tcp,tls" : "file", "-format_whitelist", string.Join(',', InputSafety.AllowedDemuxers)];

    /// <summary>Up to <paramref name="count"/> bytes from the start (a ranged GET when remote).</summary>
    public async Task<byte[]> ReadHeadAsync(int count, CancellationToken cancellationToken)
    {
        var head = new byte[count];
        int read;
        if (IsRemote)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Url);
            request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, count - 1);
            using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            read = await body.ReadAtLeastAsync(head, count, throwOnEndOfStream: false, cancellationToken);
        }
        else
        {
            await using var file = System.IO.File.OpenRead(Url["file:".Length..]);
            read = await file.ReadAtLeastAsync(head, count, throwOnEndOfStream: false, cancellationToken);
        }

        return head[..read];
    }

    public override string ToString() => Name;
}
