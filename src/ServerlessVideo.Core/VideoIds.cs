using System.Security.Cryptography;
using System.Text;

namespace ServerlessVideo.Core;

/// <summary>
/// Video ids double as orchestration instance ids and table keys, so they derive from the blob version
/// (container, name, ETag): a re-delivered trigger for the same upload maps to the same id, a new upload of the
/// same name to a new one.
/// </summary>
public static class VideoIds
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private static readonly System.Buffers.SearchValues<char> AlphabetValues = System.Buffers.SearchValues.Create(Alphabet);

    /// <summary>26 lowercase base32 characters (130 bits of SHA-256) prefixed with <c>v</c>: URL-safe, table-key-safe, printable.</summary>
    public static string FromBlob(string container, string blobName, string etag)
    {
        var key = $"{container}\n{blobName}\n{etag.Trim('"')}";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        var sb = new StringBuilder("v", 27);
        var buffer = 0;
        var bits = 0;
        foreach (var b in hash)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5 && sb.Length < 27)
            {
                sb.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        return sb.ToString();
    }

    /// <summary>True when <paramref name="id"/> has the shape <see cref="FromBlob"/> produces.</summary>
    public static bool IsValid(string? id) =>
        id is { Length: 27 } && id[0] == 'v' && id.AsSpan(1).IndexOfAnyExcept(AlphabetValues) < 0;
}
