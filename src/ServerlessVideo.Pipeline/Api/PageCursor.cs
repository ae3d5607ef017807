using System.Text;
using ServerlessVideo.Pipeline.Storage;

namespace ServerlessVideo.Pipeline.Api;

/// <summary>
/// The <c>cursor</c> of <c>GET /api/videos</c>: the table's continuation token ("next partition key, space, next row
/// key", each as the service returns it: raw, base64, or Azure's <c>1!length!base64</c> form), base64url-encoded. Only a cursor
/// that names an entry of the videos index is accepted, so a made-up value is a 400 rather than a page that starts at an arbitrary row.
/// </summary>
public static class PageCursor
{
    public static string Encode(string continuation) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(continuation)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The continuation token inside <paramref name="cursor"/>, or false when it is not one this API returns.</summary>
    public static bool TryDecode(string cursor, out string continuation)
    {
        continuation = string.Empty;
        if (cursor.Length is 0 or > 256 || cursor.AsSpan().IndexOfAnyExcept(Base64Url) >= 0)
        {
            return false;
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(cursor.Replace('-', '+').Replace('_', '/').PadRight((cursor.Length + 3) / 4 * 4, '='));
        }
        catch (FormatException)
        {
            return false;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var parts = text.Split(' ');
        if (parts.Length != 2 || KeyOf(parts[0]) != VideoRow.IndexPartition || !VideoRow.IsIndexKey(KeyOf(parts[1])))
        {
            return false;
        }

        continuation = text;
        return true;
    }

    /// <summary>
    /// The key inside one half of a continuation token: services send it raw, base64-encoded (Azurite) or as
    /// <c>1!length!base64</c> (Azure Storage).
    /// </summary>
    private static string? KeyOf(string part)
    {
        if (part == VideoRow.IndexPartition || VideoRow.IsIndexKey(part))
        {
            return part;
        }

        var fields = part.Split('!');
        var encoded = fields is ["1", var length, var inner] && int.TryParse(length, out var n) && n == inner.Length ? inner : part;
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(encoded));
        }
        catch (Exception ex) when (ex is FormatException or DecoderFallbackException)
        {
            return null;
        }
    }

    private static readonly System.Buffers.SearchValues<char> Base64Url =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
}
