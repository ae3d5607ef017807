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

    [Fact]
    public void Clips_written_one_after_another_read_back_in_order_and_a_cut_one_is_refused()
    {
        var a = new ClipTensor(2, 3, 4, Enumerable.Range(0, 2 * 3 * 4 * 3).Select(i => (byte)i).ToArray());
        var b = new ClipTensor(1, 2, 2, 2, [9, 8, 7, 6, 5, 4, 3, 2]);
        var bytes = a.ToBytes().Concat(b.ToBytes()).ToArray();
        var read = ClipTensor.ManyFromBytes(bytes);
        Assert.Equal(2, read.Count);
        Assert.Equal(a.Data, read[0].Data);
        Assert.Equal((1, 2, 2, 2), (read[1].Frames, read[1].Height, read[1].Width, read[1].Channels));
        Assert.Equal(b.Data, read[1].Data);
        Assert.Throws<InvalidDataException>(() => ClipTensor.ManyFromBytes(bytes.AsSpan(0, bytes.Length - 1)));
    }
}
