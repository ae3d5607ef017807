using System.Text.Json;
using ServerlessVideo.Media.Resampling;
using ServerlessVideo.Testing;
using Xunit.Abstractions;

namespace ServerlessVideo.Media.Tests.Resampling;

/// <summary>
/// Each resampler against its reference library: Data/resampling/resize.json holds one synthetic 67×45 RGB image resized
/// by torchvision 0.14 (<c>F.resize</c> on uint8 tensors), Pillow 9.4 (<c>Image.resize</c>) and OpenCV 4.6
/// (<c>cv2.resize</c>) to four sizes; <c>make_golden.py</c> beside it wrote it with Debian's python3 packages.
/// </summary>
public sealed class ResamplerGoldenTests(ITestOutputHelper output)
{
    private static readonly Lazy<Golden> Data = new(Load);

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Data.Value.Cases)
        {
            data.Add(c.Name);
        }

        return data;
    }

    [Fact]
    public void The_source_image_is_the_formula_the_generator_used()
    {
        var source = Source();
        Assert.Equal(Convert.FromBase64String(Data.Value.Source.Rgb), source.Pixels);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_the_reference_library(string name)
    {
        var c = Data.Value.Cases.Single(x => x.Name == name);
        var expected = Convert.FromBase64String(c.Rgb);
        var actual = Resampler.Resize(Source(), c.Height, c.Width, c.Library, c.Interpolation, c.Antialias).Pixels;

        var diffs = expected.Zip(actual, (e, a) => Math.Abs(e - a)).ToList();
        var max = diffs.Max();
        var off = diffs.Count(d => d > 0);
        output.WriteLine($"{name}: max |Δ| {max}, {off} of {diffs.Count} values differ");
        // Bit-exact, but for OpenCV's bicubic: the OpenCV here (4.13, OpenCvSharp's) rounds some values one level
        // away from the reference's (4.6, Debian's); its bilinear (mmaction2's default), area and nearest agree exactly.
        var bicubicAcrossOpenCvVersions = c.Library == ResampleLibrary.OpenCv && c.Interpolation == Interpolation.Bicubic;
        Assert.True(max <= (bicubicAcrossOpenCvVersions ? 1 : 0), $"{name}: max |Δ| {max} ({off} values differ)");
        Assert.True(off <= (bicubicAcrossOpenCvVersions ? diffs.Count / 20 : 0), $"{name}: {off} of {diffs.Count} values differ");
    }

    /// <summary>The generator's formula: (7x + 13y + 50c + 5·((x·y) mod 17)) mod 256.</summary>
    private static RgbImage Source()
    {
        const int width = 67, height = 45;
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    pixels[(((y * width) + x) * 3) + c] = (byte)(((x * 7) + (y * 13) + (c * 50) + ((x * y % 17) * 5)) % 256);
                }
            }
        }

        return new RgbImage(width, height, pixels);
    }

    private static Golden Load()
    {
        var path = Path.Combine(RepoPaths.Root, "tests", "ServerlessVideo.Media.Tests", "Data", "resampling", "resize.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        var source = root.GetProperty("source");
        var cases = root.GetProperty("cases").EnumerateArray().Select(c =>
        {
            var library = c.GetProperty("library").GetString() switch
            {
                "torchvision" => ResampleLibrary.Torchvision,
                "pil" => ResampleLibrary.Pil,
                "opencv" => ResampleLibrary.OpenCv,
                var other => throw new InvalidDataException($"Unknown library '{other}'."),
            };
            var interpolation = Enum.Parse<Interpolation>(c.GetProperty("interpolation").GetString()!, ignoreCase: true);
            var antialias = c.GetProperty("antialias").GetBoolean();
            var height = c.GetProperty("height").GetInt32();
            var width = c.GetProperty("width").GetInt32();
            var name = $"{library} {interpolation}{(antialias && library == ResampleLibrary.Torchvision ? " antialias" : string.Empty)} {width}x{height}";
            return new GoldenCase(name, library, interpolation, antialias, height, width, c.GetProperty("rgb").GetString()!);
        }).ToList();
        return new Golden(new GoldenSource(source.GetProperty("rgb").GetString()!), cases);
    }

    private sealed record Golden(GoldenSource Source, IReadOnlyList<GoldenCase> Cases);

    private sealed record GoldenSource(string Rgb);

    private sealed record GoldenCase(string Name, ResampleLibrary Library, Interpolation Interpolation, bool Antialias, int Height, int Width, string Rgb);
}
