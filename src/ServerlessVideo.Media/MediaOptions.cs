namespace ServerlessVideo.Media;

/// <summary>Limits on what the media stage accepts and how long ffmpeg may run.</summary>
public sealed class MediaOptions
{
    /// <summary>Largest accepted video, bytes.</summary>
    public long MaxBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Longest accepted video, seconds.</summary>
    public double MaxDurationSeconds { get; set; } = 3 * 60 * 60;

    /// <summary>Smallest accepted displayed width or height, pixels: below it there is nothing for a model to see.</summary>
    public int MinSidePixels { get; set; } = 32;

    /// <summary>Wall-clock cap on one ffprobe or ffmpeg run; past it the process is killed.</summary>
    public TimeSpan ProcessTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// <c>cuda</c> asks ffmpeg to decode on the GPU (NVDEC, <c>-hwaccel cuda</c>); frames come back to system memory
    /// for the same filters. If the first such decode fails (no GPU, no driver), decoding falls back to the CPU for the
    /// rest of the process, with a warning. Empty (default) follows <c>Inference:ExecutionProvider</c>: <c>cuda</c>
    /// there tries NVDEC here; <c>cpu</c> decodes on the CPU.
    /// </summary>
    public string HardwareDecoding { get; set; } = string.Empty;

    /// <summary>ffmpeg processes one video's separate decode windows may run at once.</summary>
    public int ParallelDecodes { get; set; } = Math.Min(2, Environment.ProcessorCount);

    /// <summary>Folder holding ffmpeg and ffprobe; null finds them on PATH.</summary>
    public string? BinaryFolder { get; set; }
}
