using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Core.Tensors;

namespace ServerlessVideo.Inference.Tests;

public sealed class ClipPreprocessorTests
{
    // 2 frames of 1×2 pixels; pixel values encode (t, x, c) so every position is distinguishable.
    private static ClipTensor Clip() => new(2, 1, 2, [0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112]);

    [Fact]
    public void Ncthw_is_channel_major_over_time()
    {
        var p = new ClipPreprocessor(new PreprocessingSpec(2, 2, 1, [0, 0, 0], [1, 1, 1]));
        var dst = new float[12];
        p.Write(Clip(), "NCTHW", dst);
        // c0: t0 (0,10) t1 (100,110); c1: (1,11) (101,111); c2: (2,12) (102,112)
        Assert.Equal([0, 10, 100, 110, 1, 11, 101, 111, 2, 12, 102, 112], dst);
    }

    [Fact]
    public void Ntchw_is_time_major()
    {
        var p = new ClipPreprocessor(new PreprocessingSpec(2, 2, 1, [0, 0, 0], [1, 1, 1]));
        var dst = new float[12];
        p.Write(Clip(), "NTCHW", dst);
        Assert.Equal([0, 10, 1, 11, 2, 12, 100, 110, 101, 111, 102, 112], dst);
    }

    [Fact]
    public void Mean_std_apply_after_the_pixel_scale_and_bgr_swaps_channels()
    {
        // torchvision-style stats: scale 255, mean/std in 0..1 units, listed in the model's channel order (BGR here).
        var p = new ClipPreprocessor(new PreprocessingSpec(2, 2, 255, [0.5, 0.25, 0], [0.5, 0.25, 1], "BGR"));
        var clip = new ClipTensor(1, 1, 1, [255, 0, 51]);
        var dst = new float[3];
        p.Write(clip, "NCTHW", dst);
        // out c0 = B = 51/255 = 0.2 → (0.2 − 0.5)/0.5 = −0.6; c1 = G = 0 → −1; c2 = R = 1 → 1.
        Assert.Equal(-0.6f, dst[0], 5);
        Assert.Equal(-1f, dst[1], 5);
        Assert.Equal(1f, dst[2], 5);
    }
}
