using ServerlessVideo.Core.Tensors;

namespace ServerlessVideo.Core.Tests;

public sealed class ClipTensorTests
{
    [Fact]
    public void Round_trips_through_bytes()
    {
        var data = Enumerable.Range(0, 2 * 3 * 4 * 3).Select(i => (byte)i).ToArray();
        var clip = new ClipTensor(2, 3, 4, data);
        var back = ClipTensor.FromBytes(clip.ToBytes());
        Assert.Equal((2, 3, 4), (back.Frames, back.Height, back.Width));
        Assert.Equal(data, back.Data);
    }

    [Fact]
    public void Wrong_sizes_and_foreign_bytes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new ClipTensor(2, 2, 2, new byte[5]));
        Assert.Throws<InvalidDataException>(() => ClipTensor.FromBytes("not a tensor at all"u8));
    }
}
