using ServerlessVideo.Core;
using ServerlessVideo.Pipeline.Api;

namespace ServerlessVideo.Pipeline.Tests;

public sealed class PageCursorTests
{
    private static readonly string Id = VideoIds.FromBlob("videos", "a.mp4", "0x1");

    [Fact]
    public void A_cursor_this_api_returns_decodes_to_its_continuation()
    {
        Assert.True(PageCursor.TryDecode(PageCursor.Encode($"{Id} video"), out var continuation));
        Assert.Equal($"{Id} video", continuation);
    }

    [Fact]
    public void Azure_encoded_continuation_keys_are_read_inside()
    {
        var encoded = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Id));
        var token = $"1!{encoded.Length}!{encoded} 1!8!dmlkZW8=";
        Assert.True(PageCursor.TryDecode(PageCursor.Encode(token), out var continuation));
        Assert.Equal(token, continuation);
    }

    [Fact]
    public void Azurite_base64_continuation_keys_are_read_inside()
    {
        var token = $"{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Id))} dmlkZW8=";
        Assert.True(PageCursor.TryDecode(PageCursor.Encode(token), out _));
    }

    [Theory]
    [InlineData("abc")]            // decodes to bytes that are no token
    [InlineData("%%")]             // not base64url
    [InlineData("MSF4IDEheQ")]     // "1!x 1!y": an Azure-looking token naming no video row
    [InlineData("dnh4eCB2aWRlbw")] // "vxxx video": not a video id
    public void Anything_else_is_refused(string cursor) => Assert.False(PageCursor.TryDecode(cursor, out _));
}
