using System.Text.Json.Nodes;
using OpenCvSharp;
using ServerlessVideo.Onnx;
using ServerlessVideo.Pipeline.Api;
using ServerlessVideo.Testing;

namespace ServerlessVideo.Pipeline.Tests;

public sealed class PicturesTests
{
    /// <summary>
    /// Red for 2 s, green for 3.2, blue for 2: the strip's tiles are spread over the video in time order, and each
    /// shows the colour on screen at the time the timeline gives it.
    /// </summary>
    [Fact]
    public async Task The_key_frame_strip_shows_the_frame_on_screen_at_each_listed_time()
    {
        await using var h = await PipelineHarness.StartAsync();
        var (id, _, _) = await h.RunAsync(await TestVideos.ScenesAsync(h.Scratch, ("red", 2), ("green", 3.2), ("blue", 2)));
        var api = h.Service<VideoApi>();

        var strip = JsonNode.Parse((await api.GetTimelineAsync(id, CancellationToken.None)).Json)!["keyFrames"]!;
        var times = strip["times"]!.AsArray().Select(t => t!.GetValue<double>()).ToList();
        var (tileWidth, tileHeight) = (strip["tileWidth"]!.GetValue<int>(), strip["tileHeight"]!.GetValue<int>());
        Assert.Equal($"/api/videos/{id}/pictures/keyframes.jpg", strip["href"]!.GetValue<string>());
        Assert.InRange(times.Count, 6, 10);
        Assert.Equal(times.Order(), times);
        Assert.InRange(times[0], 0, 1.5);
        Assert.InRange(times[^1], 5.7, 7.2);

        var picture = await api.GetPictureAsync(id, "keyframes.jpg", CancellationToken.None);
        Assert.Equal("image/jpeg", picture.ContentType);
        using var image = Cv2.ImDecode(picture.Bytes!, ImreadModes.Color);
        Assert.Equal((tileWidth * times.Count, tileHeight), (image.Width, image.Height));
        for (var i = 0; i < times.Count; i++)
        {
            using var tile = new Mat(image, new Rect(i * tileWidth, 0, tileWidth, tileHeight));
            var bgr = Cv2.Mean(tile);
            var expected = times[i] < 2 ? 2 : times[i] < 5.2 ? 1 : 0;
            Assert.True(bgr[expected] > 100 && Enumerable.Range(0, 3).Where(c => c != expected).All(c => bgr[c] < bgr[expected] - 60),
                $"tile {i} at {times[i]} s has mean BGR {bgr} (expected channel {expected} to stand out)");
        }
    }

    /// <summary>
    /// A white square moving right across black, read by a model with a Farnebäck flow input: one flow picture, named
    /// with that flow and model, whose moving pixels have the hue of rightward motion (red).
    /// </summary>
    [Fact]
    public async Task A_model_that_reads_flow_gets_a_flow_picture_whose_colour_says_which_way_things_move()
    {
        await using var h = await PipelineHarness.StartAsync(configure: x => StreamMeansModel.WriteTo(Path.Combine(x.ModelsPath, StreamMeansModel.Id)));
        var path = Path.Combine(h.Scratch, "moving-square.mp4");
        await TestVideos.FfmpegAsync(
            "-f lavfi -i color=c=black:s=160x120:r=25:d=4 -f lavfi -i color=c=white:s=40x40:r=25:d=4 " +
            "-filter_complex \"[0][1]overlay=x='20+t*20':y=40\" -c:v libx264 -preset ultrafast -pix_fmt yuv420p", path);
        var (id, _, _) = await h.RunAsync(path);
        var api = h.Service<VideoApi>();

        var flows = JsonNode.Parse((await api.GetTimelineAsync(id, CancellationToken.None)).Json)!["flows"]!.AsArray();

        var flow = Assert.Single(flows)!;
        Assert.Equal(StreamMeansModel.Flow.Key, flow["flow"]!.GetValue<string>());
        Assert.Equal([StreamMeansModel.Id], flow["models"]!.AsArray().Select(m => m!.GetValue<string>()));
        var name = flow["href"]!.GetValue<string>().Split('/')[^1];
        var picture = await api.GetPictureAsync(id, name, CancellationToken.None);
        Assert.Equal("image/png", picture.ContentType);
        using var image = Cv2.ImDecode(picture.Bytes!, ImreadModes.Color);
        Assert.Equal((StreamMeansModel.CropSize, StreamMeansModel.CropSize), (image.Width, image.Height));
        using var moving = new Mat();
        using var gray = new Mat();
        Cv2.CvtColor(image, gray, ColorConversionCodes.BGR2GRAY);
        Cv2.Threshold(gray, moving, 40, 255, ThresholdTypes.Binary);
        Assert.True(Cv2.CountNonZero(moving) > 10, "the flow picture shows no motion");
        var bgr = Cv2.Mean(image, moving);
        Assert.True(bgr[2] > bgr[1] + 40 && bgr[2] > bgr[0] + 40, $"moving pixels have mean BGR {bgr}: not the red of rightward motion");
    }

    [Fact]
    public async Task A_picture_that_is_not_there_or_not_a_picture_name_is_404_no_picture()
    {
        await using var h = await PipelineHarness.StartAsync(configure: x => x.Options.Pictures = false);
        var (id, _, _) = await h.RunAsync(await TestVideos.ColourAsync(h.Scratch, "red"));
        var api = h.Service<VideoApi>();

        Assert.Null(JsonNode.Parse((await api.GetTimelineAsync(id, CancellationToken.None)).Json)!["keyFrames"]);
        foreach (var name in new[] { "keyframes.jpg", "flow-0.png", "timeline.json", "../x.png" })
        {
            var response = await api.GetPictureAsync(id, name, CancellationToken.None);
            Assert.Equal((404, null), (response.StatusCode, response.Bytes));
            Assert.Contains("\"error\":\"no_picture\"", response.Json, StringComparison.Ordinal);
        }
    }
}
