using ServerlessVideo.Core;

namespace ServerlessVideo.Core.Tests;

public sealed class VideoIdsTests
{
    [Fact]
    public void Same_blob_version_gives_the_same_id_and_quotes_around_the_etag_do_not_matter()
    {
        var a = VideoIds.FromBlob("videos", "cat.mp4", "0x8DC1");
        var b = VideoIds.FromBlob("videos", "cat.mp4", "\"0x8DC1\"");
        Assert.Equal(a, b);
        Assert.True(VideoIds.IsValid(a));
    }

    [Theory]
    [InlineData("videos", "cat.mp4", "0x8DC2")]
    [InlineData("videos", "dog.mp4", "0x8DC1")]
    [InlineData("other", "cat.mp4", "0x8DC1")]
    public void Any_change_of_container_name_or_etag_gives_another_id(string container, string name, string etag) =>
        Assert.NotEqual(VideoIds.FromBlob("videos", "cat.mp4", "0x8DC1"), VideoIds.FromBlob(container, name, etag));

    [Fact]
    public void Ids_are_url_and_table_key_safe()
    {
        var id = VideoIds.FromBlob("videos", "weird name/with ünïcode?#.mp4", "x");
        Assert.Matches("^v[a-z2-7]{26}$", id);
        Assert.Equal(Uri.EscapeDataString(id), id);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("v123")]
    [InlineData("../../etc/passwd")]
    [InlineData("vAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Malformed_ids_are_rejected(string? id) => Assert.False(VideoIds.IsValid(id));
}
