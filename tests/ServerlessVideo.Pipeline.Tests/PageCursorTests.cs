using ServerlessVideo.Core;
using ServerlessVideo.Pipeline.Api;
using ServerlessVideo.Pipeline.Storage;

namespace ServerlessVideo.Pipeline.Tests;

public sealed class PageCursorTests
{
    private static readonly string Key = VideoRow.IndexKey(DateTimeOffset.Parse("2026-11-30T06:00:00+00:00"), VideoIds.FromBlob("videos", "a.mp4", "0x1"));

    private static string Base64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));

    [Fact]
    public void A_cursor_this_api_returns_decodes_to_its_continuation()
    {
        Assert.True(PageCursor.TryDecode(PageCursor.Encode($"videos {Key}"), out var continuation));
        Assert.Equal($"videos {Key}", continuation);
    }

    [Fact]
    public void Azure_encoded_continuation_keys_are_read_inside()
    {
        var (partition, key) = (Base64("videos"), Base64(Key));
        var token = $"1!{partition.Length}!{partition} 1!{key.Length}!{key}";
        Assert.True(PageCursor.TryDecode(PageCursor.Encode(token), out var continuation));
        Assert.Equal(token, continuation);
    }

    [Fact]
    public void Azurite_base64_continuation_keys_are_read_inside()
    {
        var token = $"{Base64("videos")} {Base64(Key)}";
        Assert.True(PageCursor.TryDecode(PageCursor.Encode(token), out _));
    }

    [Theory]
    [InlineData("abc")]            // decodes to bytes that are no token
    [InlineData("%%")]             // not base64url
    [InlineData("MSF4IDEheQ")]     // "1!x 1!y": an Azure-looking token naming no index entry
    [InlineData("dnh4eCB2aWRlbw")] // "vxxx video": a row of the videos table, not of the index
    public void Anything_else_is_refused(string cursor) => Assert.False(PageCursor.TryDecode(cursor, out _));

    [Fact]
    public void An_index_key_with_a_made_up_time_or_id_is_refused()
    {
        Assert.False(PageCursor.TryDecode(PageCursor.Encode($"videos {Key.Replace('0', 'x')}"), out _));
        Assert.False(PageCursor.TryDecode(PageCursor.Encode($"videos {Key[..20]}vxxx"), out _));
        Assert.False(PageCursor.TryDecode(PageCursor.Encode($"other {Key}"), out _));
    }
}
