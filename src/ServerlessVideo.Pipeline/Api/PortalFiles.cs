namespace ServerlessVideo.Pipeline.Api;

/// <summary>
/// The results pages over the JSON API, the same in every host: <c>/</c> lists videos (live while any runs),
/// <c>/videos/{id}</c> shows one (key frames, consensus and per-model bars, labels over time, shots, flow pictures), and
/// <c>/portal/{file}</c> serves their script and style. Static files from this assembly, to be sent under
/// <see cref="ContentSecurityPolicy"/>, which allows nothing but the host itself.
/// </summary>
public static class PortalFiles
{
    public const string ContentSecurityPolicy = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

    public const string ListPage = "index.html";

    public const string VideoPage = "video.html";

    private static readonly Dictionary<string, string> Files = new(StringComparer.Ordinal)
    {
        [ListPage] = "text/html; charset=utf-8",
        [VideoPage] = "text/html; charset=utf-8",
        ["portal.js"] = "text/javascript; charset=utf-8",
        ["portal.css"] = "text/css; charset=utf-8",
    };

    /// <summary>The file's bytes and content type, or null for a name that is not one of the pages' files.</summary>
    public static (byte[] Bytes, string ContentType)? Open(string file)
    {
        if (!Files.TryGetValue(file, out var contentType))
        {
            return null;
        }

        using var stream = typeof(PortalFiles).Assembly.GetManifestResourceStream($"Portal/{file}")
            ?? throw new InvalidOperationException($"The page file '{file}' is not in the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return (copy.ToArray(), contentType);
    }
}
