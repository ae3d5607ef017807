namespace ServerlessVideo.Media;

/// <summary>What one ffmpeg process did.</summary>
/// <param name="ExitCode">ffmpeg's exit code.</param>
/// <param name="OutputBytes">Bytes read from its standard output, to the end of the stream.</param>
/// <param name="ReportedFrames">Video frames ffmpeg says it wrote (its last <c>-progress</c> report), or null if it reported none.</param>
/// <param name="Errors">The first lines ffmpeg logged at error level.</param>
public sealed record FfmpegRun(int ExitCode, long OutputBytes, long? ReportedFrames, IReadOnlyList<string> Errors);
