using System.Text.Json.Nodes;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Core.Planning;
using ServerlessVideo.Onnx;

namespace ServerlessVideo.Core.Tests;

/// <summary>The reference libraries' output-size and centre-crop rules, and how a manifest states them.</summary>
public sealed class ResizeSpecTests
{
    [Theory]
    // torchvision and Hugging Face: the long side is int(s · long / short), truncated.
    [InlineData("torchvision", 256, 640, 360, 455, 256)]
    [InlineData("pil", 224, 320, 240, 298, 224)]
    [InlineData("torchvision", 256, 360, 640, 256, 455)]
    // mmcv (mmaction2): int(x · scale + 0.5) on both sides.
    [InlineData("opencv", 256, 640, 360, 455, 256)]
    [InlineData("opencv", 128, 320, 240, 171, 128)]
    [InlineData("opencv", 256, 1000, 600, 427, 256)]
    public void Short_side_keeps_the_aspect_with_each_librarys_rounding(string library, int side, int width, int height, int expectedWidth, int expectedHeight) =>
        Assert.Equal((expectedWidth, expectedHeight), new ResizeSpec { Library = library, ShortSide = side }.OutputSize(width, height));

    [Fact]
    public void Fixed_size_ignores_the_aspect_and_long_side_scales_the_short_one()
    {
        Assert.Equal((171, 128), new ResizeSpec { Library = "torchvision", Height = 128, Width = 171 }.OutputSize(640, 360));
        Assert.Equal((256, 144), new ResizeSpec { Library = "torchvision", LongSide = 256 }.OutputSize(640, 360));
        Assert.Equal((256, 144), new ResizeSpec { Library = "opencv", LongSide = 256 }.OutputSize(640, 360));
    }

    [Theory]
    [InlineData("torchvision", 171, 128, 112, 30, 8)]   // (171 − 112) / 2 = 29.5 rounds half to even: 30
    [InlineData("torchvision", 341, 256, 224, 58, 16)]  // 58.5 → 58
    [InlineData("pil", 171, 128, 112, 29, 8)]           // floor
    [InlineData("opencv", 171, 128, 112, 29, 8)]
    [InlineData("torchvision", 100, 100, 112, -6, -6)]  // larger than the image: torchvision pads
    public void Centre_crop_rounds_as_the_library_does(string library, int width, int height, int crop, int left, int top) =>
        Assert.Equal((left, top), new ResizeSpec { Library = library, ShortSide = 8 }.CropOrigin(width, height, crop));

    [Fact]
    public void A_manifest_states_a_reference_resize_and_its_view_keys_by_it()
    {
        var manifest = Manifest(new JsonObject { ["library"] = "torchvision", ["height"] = 128, ["width"] = 171 });
        var parsed = ManifestLoader.Parse(manifest.ToJsonString(), "m.json");
        Assert.Equal(new ResizeSpec { Library = "torchvision", Height = 128, Width = 171 }, parsed.Preprocessing.Resize);

        var view = VideoPlanner.ViewOf(parsed, new VideoProbe(10, 25, 640, 360, 0, "h264", "mp4", 1000));
        Assert.Equal(parsed.Preprocessing.Resize, view.Resize);
        Assert.Equal("rgb-f4-torchvision-h128w171-bilinear-c32-t8", view.Key);
    }

    [Theory]
    [InlineData("""{ "library": "torchvision", "shortSide": 128, "height": 128, "width": 171 }""", "/preprocessing/resize")]
    [InlineData("""{ "library": "torchvision", "height": 128 }""", "/preprocessing/resize")]
    [InlineData("""{ "library": "caffe", "shortSide": 128 }""", "/preprocessing/resize/library")]
    [InlineData("""{ "library": "pil", "shortSide": 128, "interpolation": "area" }""", "pil has no 'area' interpolation")]
    [InlineData("""{ "library": "opencv", "shortSide": 128, "antialias": true }""", "antialias is torchvision's switch")]
    [InlineData("""{ "library": "torchvision", "shortSide": 24 }""", "exceeds the resized short side 24")]
    public void A_resize_that_cannot_be_run_is_refused_with_the_reason(string resize, string expected)
    {
        var ex = Assert.Throws<ManifestException>(() => ManifestLoader.Parse(Manifest(JsonNode.Parse(resize)!.AsObject()).ToJsonString(), "m.json"));
        Assert.Contains(expected, ex.Message);
    }

    [Theory]
    [InlineData("""{ "library": "torchvision", "shortSide": 36 }""", "three", "not a torchvision test-time crop")]
    [InlineData("""{ "library": "pil", "shortSide": 36 }""", "ten", "not a pil test-time crop")]
    [InlineData("""{ "library": "opencv", "shortSide": 36 }""", "three", "cropSize 32 must equal resize.shortSide (36)")]
    [InlineData("""{ "library": "opencv", "shortSide": 32 }""", "three", null)]
    [InlineData("""{ "library": "torchvision", "height": 36, "width": 48 }""", "ten", null)]
    public void Test_time_crops_are_the_ones_each_library_has(string resize, string crops, string? error)
    {
        var manifest = Manifest(JsonNode.Parse(resize)!.AsObject());
        manifest["preprocessing"]!["crops"] = crops;
        if (error is null)
        {
            var parsed = ManifestLoader.Parse(manifest.ToJsonString(), "m.json");
            var views = VideoPlanner.CropViews(VideoPlanner.ViewOf(parsed, new VideoProbe(10, 25, 640, 360, 0, "h264", "mp4", 1000)), parsed.Preprocessing).ToList();
            Assert.Equal(ResizeSpec.CropCount(crops), views.Select(v => v.Key).Distinct().Count());
        }
        else
        {
            Assert.Contains(error, Assert.Throws<ManifestException>(() => ManifestLoader.Parse(manifest.ToJsonString(), "m.json")).Message);
        }
    }

    [Fact]
    public void Test_time_crops_need_a_reference_resize()
    {
        var manifest = JsonNode.Parse(ManifestWriter.ToJson(ColourMeanModel.Manifest()))!.AsObject();
        manifest["preprocessing"]!["crops"] = "ten";
        Assert.Contains("needs preprocessing.resize", Assert.Throws<ManifestException>(() => ManifestLoader.Parse(manifest.ToJsonString(), "m.json")).Message);
    }

    [Fact]
    public void Both_resizes_at_once_are_refused()
    {
        var manifest = Manifest(new JsonObject { ["library"] = "torchvision", ["shortSide"] = 64 });
        manifest["preprocessing"]!["resizeShortSide"] = 36;
        Assert.Throws<ManifestException>(() => ManifestLoader.Parse(manifest.ToJsonString(), "m.json"));
    }

    /// <summary>The colour baseline's manifest with <paramref name="resize"/> instead of resizeShortSide (crop 32).</summary>
    private static JsonObject Manifest(JsonObject resize)
    {
        var manifest = JsonNode.Parse(ManifestWriter.ToJson(ColourMeanModel.Manifest()))!.AsObject();
        var preprocessing = manifest["preprocessing"]!.AsObject();
        preprocessing.Remove("resizeShortSide");
        preprocessing["resize"] = resize;
        return manifest;
    }
}
