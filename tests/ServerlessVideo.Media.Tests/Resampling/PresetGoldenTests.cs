using System.Text.Json;
using ServerlessVideo.Core.Manifests;
using ServerlessVideo.Core.Planning;
using ServerlessVideo.Testing;
using Xunit.Abstractions;

namespace ServerlessVideo.Media.Tests.Resampling;

/// <summary>
/// A committed video (Data/presets/clip.mp4, 320×240 at 10 fps) through the frame source with a reference resize, against
/// what each library's own preprocessing makes of the same decoded frames (Data/presets/presets.json.gz, written by
/// make_golden.py beside it: torchvision 0.14's R3D_18, MViT_V1_B and S3D presets, Hugging Face VideoMAE's Pillow steps,
/// mmaction2's OpenCV Resize and CenterCrop). The clip tensor must equal the reference's uint8 frames exactly.
/// </summary>
public sealed class PresetGoldenTests(ITestOutputHelper output)
{
    private static readonly string Folder = Path.Combine(RepoPaths.Root, "tests", "ServerlessVideo.Media.Tests", "Data", "presets");

    private static readonly Lazy<JsonElement> Golden = new(() => GoldenFiles.ReadJsonGz("ServerlessVideo.Media.Tests", "Data", "presets", "presets.json.gz"));

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Golden.Value.GetProperty("cases").EnumerateArray())
        {
            data.Add(c.GetProperty("name").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_clip_tensor_is_the_reference_librarys_preprocessing(string name)
    {
        var c = Golden.Value.GetProperty("cases").EnumerateArray().Single(x => x.GetProperty("name").GetString() == name);
        var resize = c.GetProperty("resize").Deserialize<ResizeSpec>(ManifestLoader.JsonOptions)!;
        var crop = c.GetProperty("cropSize").GetInt32();
        var frames = c.GetProperty("frames").GetInt32();
        var expected = Convert.FromBase64String(c.GetProperty("rgb").GetString()!);
        var view = new FrameView(Fps: Golden.Value.GetProperty("fps").GetDouble(), ResizeShortSide: 0, CropSize: crop, ClipLength: frames) { Resize = resize };

        var clip = await TestFrameSource.Create().ExtractAsync(Path.Combine(Folder, "clip.mp4"), view, new ClipSpan(0, 0), CancellationToken.None);

        Assert.Equal((frames, crop, crop), (clip.Frames, clip.Height, clip.Width));
        var diffs = expected.Zip(clip.Data, (e, a) => Math.Abs(e - a)).ToList();
        output.WriteLine($"{name} ({resize.Key}, crop {crop}): max |Δ| {diffs.Max()}, {diffs.Count(d => d > 0)} of {diffs.Count} values differ");
        Assert.Equal(expected.Length, clip.Data.Length);
        Assert.Equal(0, diffs.Max());
    }

    public static TheoryData<string> CropCases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Crops.Value.GetProperty("cases").EnumerateArray())
        {
            data.Add(c.GetProperty("name").GetString()!);
        }

        return data;
    }

    private static readonly Lazy<JsonElement> Crops = new(() => GoldenFiles.ReadJsonGz("ServerlessVideo.Media.Tests", "Data", "presets", "crops.json.gz"));

    /// <summary>
    /// Test-time crops (crops.json.gz): torchvision's F.ten_crop after the R3D_18 resize, mmaction2's own ThreeCrop and
    /// TenCrop after its Resize, of the video's first frame, in each library's order; here a plan's crop views.
    /// </summary>
    [Theory]
    [MemberData(nameof(CropCases))]
    public async Task Each_test_time_crop_is_the_reference_librarys_window(string name)
    {
        var c = Crops.Value.GetProperty("cases").EnumerateArray().Single(x => x.GetProperty("name").GetString() == name);
        var resize = c.GetProperty("resize").Deserialize<ResizeSpec>(ManifestLoader.JsonOptions)!;
        var crop = c.GetProperty("cropSize").GetInt32();
        var crops = c.GetProperty("crops").GetString()!;
        var expected = Convert.FromBase64String(c.GetProperty("rgb").GetString()!);
        var preprocessing = new PreprocessingSpec(0, crop, 255, [0, 0, 0], [1, 1, 1]) { Resize = resize, Crops = crops };
        var views = VideoPlanner.CropViews(new FrameView(10, 0, crop, 1) { Resize = resize }, preprocessing).ToList();
        Assert.Equal(ResizeSpec.CropCount(crops), views.Count);

        var clips = await TestFrameSource.Create().ExtractAsync(
            Path.Combine(Folder, "clip.mp4"), await Probe(), [.. views.Select(v => new ClipRequest(v, new ClipSpan(0, 0)))], CancellationToken.None);

        var actual = clips.SelectMany(x => x.Data).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        var off = expected.Zip(actual, (e, a) => e != a).Count(d => d);
        output.WriteLine($"{name}: {views.Count} crops of {crop}, {off} of {expected.Length} values differ");
        Assert.Equal(0, off);
    }

    private static Task<Core.VideoProbe> Probe() =>
        new VideoProber(new MediaOptions(), Microsoft.Extensions.Logging.Abstractions.NullLogger<VideoProber>.Instance).ProbeAsync(Path.Combine(Folder, "clip.mp4"), CancellationToken.None);
}
