using Microsoft.Extensions.Logging;
using ServerlessVideo.Core;
using ServerlessVideo.Core.Planning;
using ServerlessVideo.Core.Tensors;
using ServerlessVideo.Media.Flow;
using ServerlessVideo.Media.Pictures;
using ServerlessVideo.Pipeline.Messages;
using ServerlessVideo.Pipeline.Storage;

namespace ServerlessVideo.Pipeline.Activities;

/// <summary>
/// Makes a video's pictures from the clips the decode produced (no decode of its own): a strip of up to
/// <see cref="MaxKeyFrames"/> frames spread over the video, from the view of the largest frames, and for each optical
/// flow a view computes, the flow of its first clip's middle frame pair, by the code the models' flow comes from.
/// </summary>
public sealed partial class PictureMaker(ResultBlobStore blobs, Inference.ModelRegistry models, ILogger<PictureMaker> logger)
{
    public const int MaxKeyFrames = 10;

    public const string KeyFramesName = "keyframes.jpg";

    /// <summary>A picture name the API serves: the key-frame strip or a numbered flow picture.</summary>
    public static bool IsPictureName(string name) =>
        name == KeyFramesName || System.Text.RegularExpressions.Regex.IsMatch(name, @"^flow-[0-9]{1,3}\.png$", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));

    /// <summary>
    /// Writes the pictures of <paramref name="clips"/> (every decoded clip, with its view and span) and says what they
    /// show; null when there is nothing to show, or when OpenCV cannot load (the video goes on without pictures).
    /// </summary>
    public async Task<VideoPictures?> WriteAsync(string videoId, VideoProbe probe, IReadOnlyList<(ViewPlan View, ClipSpan Span, ClipTensor Clip)> clips, CancellationToken cancellationToken)
    {
        MadePictures? made;
        try
        {
            made = Make(probe, clips);
        }
        catch (OpenCvUnavailableException ex)
        {
            LogNoPictures(logger, videoId, ex.Message);
            return null;
        }

        if (made is null)
        {
            return null;
        }

        foreach (var file in made.Files)
        {
            await blobs.WritePictureAsync(videoId, file.Name, file.Bytes, file.ContentType, cancellationToken);
        }

        return made.Pictures;
    }

    /// <summary>A picture's file as stored: its name, bytes and content type.</summary>
    public sealed record PictureFile(string Name, byte[] Bytes, string ContentType);

    /// <summary>What the pictures show, and their files.</summary>
    public sealed record MadePictures(VideoPictures Pictures, IReadOnlyList<PictureFile> Files);

    /// <summary>
    /// The pictures of <paramref name="clips"/>, made and not stored; null when there is nothing to show. Throws
    /// <see cref="OpenCvUnavailableException"/> when OpenCV cannot load.
    /// </summary>
    public MadePictures? Make(VideoProbe probe, IReadOnlyList<(ViewPlan View, ClipSpan Span, ClipTensor Clip)> clips)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(clips);
        if (clips.Count == 0)
        {
            return null;
        }

        var (keyFrames, strip) = MakeKeyFrames(probe, clips);
        var files = new List<PictureFile> { strip };
        var flows = new List<FlowPicture>();
        foreach (var group in clips.Where(c => c.View.Flows is { Count: > 0 } && c.Clip.Frames >= 2).GroupBy(c => c.View.View.Key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var (view, span, clip) = group.MinBy(c => c.Span.Index);
            var frame = (clip.Frames - 1) / 2;
            foreach (var flow in view.Flows!)
            {
                var name = $"flow-{flows.Count}.png";
                files.Add(new PictureFile(name, FlowImage.OfFrames(clip, frame, flow), "image/png"));
                var readers = view.ModelIds.Where(id => models.Get(id).Manifest.Inputs.Any(i => i.Flow?.Key == flow.Key)).ToList();
                flows.Add(new FlowPicture(name, flow.Key, view.View.Key, FrameTime(view.View, span, frame, probe), readers));
            }
        }

        return new MadePictures(new VideoPictures(keyFrames, flows), files);
    }

    private static (KeyFramesPicture Picture, PictureFile File) MakeKeyFrames(VideoProbe probe, IReadOnlyList<(ViewPlan View, ClipSpan Span, ClipTensor Clip)> clips)
    {
        // The view of the largest frames (then the most clips): every frame of it, one per time, spread evenly.
        var view = clips.GroupBy(c => c.View.View.Key, StringComparer.Ordinal)
            .OrderByDescending(g => g.First().Clip.Width * g.First().Clip.Height)
            .ThenByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .First();
        var frames = view
            .SelectMany(c => Enumerable.Range(0, c.Clip.Frames).Select(f => (c.Clip, Frame: f, Time: FrameTime(c.View.View, c.Span, f, probe))))
            .DistinctBy(f => f.Time)
            .OrderBy(f => f.Time)
            .ToList();
        var picked = frames.Count <= MaxKeyFrames
            ? frames
            : [.. Enumerable.Range(0, MaxKeyFrames).Select(i => frames[(int)Math.Round(i * (frames.Count - 1) / (double)(MaxKeyFrames - 1))])];
        var (jpeg, width, height) = KeyFrameStrip.ToJpeg([.. picked.Select(f => (f.Clip, f.Frame))]);
        return (new KeyFramesPicture(KeyFramesName, width, height, [.. picked.Select(f => f.Time)]), new PictureFile(KeyFramesName, jpeg, "image/jpeg"));
    }

    /// <summary>When frame <paramref name="frame"/> of a clip is shown, seconds (a padded frame past the end is the last frame's).</summary>
    private static double FrameTime(FrameView view, ClipSpan span, int frame, VideoProbe probe)
    {
        var time = span.Times is { } times && frame < times.Count ? times[frame] : span.StartSeconds + (frame / view.Fps);
        return Math.Round(Math.Min(time, probe.LastFrameSeconds), 3);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Video {VideoId} has no pictures: {Reason}")]
    private static partial void LogNoPictures(ILogger logger, string videoId, string reason);
}
