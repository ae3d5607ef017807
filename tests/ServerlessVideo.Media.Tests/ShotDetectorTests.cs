using ServerlessVideo.Testing;

namespace ServerlessVideo.Media.Tests;

public sealed class ShotDetectorTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Three scenes cut together at 2 s and 5.2 s (frame 130 at 25 fps): each cut lands on its first frame.</summary>
    [Fact]
    public async Task Cuts_between_distinct_scenes_are_found_at_the_first_frame_of_each_new_shot()
    {
        var path = await TestVideos.ScenesAsync(_temp.Path, ("red", 2), ("testsrc2", 3.2), ("blue", 2));

        var cuts = await new ShotDetector(new MediaOptions()).CutsAsync(MediaInput.File(path), 0.3, CancellationToken.None);

        Assert.Equal(2, cuts.Count);
        Assert.Equal(2.0, cuts[0], 0.04);
        Assert.Equal(5.2, cuts[1], 0.04);
    }

    /// <summary>Pure red and mid green have the same luma: a detector reading brightness alone misses this cut.</summary>
    [Fact]
    public async Task A_cut_between_colours_of_equal_brightness_is_found()
    {
        var path = await TestVideos.ScenesAsync(_temp.Path, ("red", 1.6), ("green", 1.6));

        var cut = Assert.Single(await new ShotDetector(new MediaOptions()).CutsAsync(MediaInput.File(path), 0.3, CancellationToken.None));
        Assert.Equal(1.6, cut, 0.04);
    }

    [Fact]
    public async Task Motion_within_one_scene_is_no_cut()
    {
        var path = await TestVideos.ScenesAsync(_temp.Path, ("testsrc2", 4));

        Assert.Empty(await new ShotDetector(new MediaOptions()).CutsAsync(MediaInput.File(path), 0.3, CancellationToken.None));
    }
}
