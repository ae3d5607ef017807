namespace ServerlessVideo.Media;

/// <summary>
/// Keeps ffmpeg on the one input it was given. Demuxers that open other inputs (HLS/DASH playlists, concat scripts,
/// image2 file patterns, SDP, tee) are not on the list, only the protocols of the input are allowed
/// (<see cref="MediaInput.InputArguments"/>), and a path is passed with an explicit <c>file:</c> prefix so no name can
/// be read as a URL.
/// </summary>
public static class InputSafety
{
    /// <summary>Container demuxers ffmpeg may use (short names as <c>ffmpeg -demuxers</c> lists them).</summary>
    public static readonly IReadOnlyList<string> AllowedDemuxers =
    [
        "mov", "mp4", "m4a", "3gp", "3g2", "mj2", "matroska", "webm", "avi", "flv", "mpegts", "mpeg", "mpegvideo",
        "ogg", "asf", "h264", "hevc", "ivf", "gif", "nut", "mxf",
        // Single pictures are let through the probe so they can be named for what they are (STILL_IMAGE).
        "png_pipe", "jpeg_pipe", "webp_pipe", "bmp_pipe", "tiff_pipe",
    ];

    /// <summary>The input as an explicit local-file URL.</summary>
    public static string FileUrl(string path) => "file:" + Path.GetFullPath(path);

    /// <summary>Text containers that point ffmpeg elsewhere, recognised by their first bytes.</summary>
    public static bool LooksLikePlaylist(ReadOnlySpan<byte> head)
    {
        var text = System.Text.Encoding.ASCII.GetString(head.TrimStart("\xEF\xBB\xBF"u8)).TrimStart();
        return text.StartsWith("#EXTM3U", StringComparison.Ordinal)
            || text.StartsWith("ffconcat", StringComparison.Ordinal)
            || text.StartsWith("file ", StringComparison.Ordinal)
            || text.StartsWith("<?xml", StringComparison.Ordinal)
            || text.StartsWith("<MPD", StringComparison.Ordinal)
            || text.StartsWith("v=0", StringComparison.Ordinal);
    }
}
