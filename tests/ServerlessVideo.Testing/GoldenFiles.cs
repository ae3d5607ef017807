using System.IO.Compression;
using System.Text.Json;

namespace ServerlessVideo.Testing;

/// <summary>Reference files written by the generator scripts beside them (gzipped JSON under <c>tests/</c>).</summary>
public static class GoldenFiles
{
    /// <summary>The gzipped JSON at <paramref name="pathUnderTests"/> (segments below the repository's <c>tests</c> folder).</summary>
    public static JsonElement ReadJsonGz(params string[] pathUnderTests)
    {
        using var file = File.OpenRead(Path.Combine([RepoPaths.Root, "tests", .. pathUnderTests]));
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var document = JsonDocument.Parse(gzip);
        return document.RootElement.Clone();
    }
}
