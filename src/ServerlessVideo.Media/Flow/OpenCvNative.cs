using OpenCvSharp;

namespace ServerlessVideo.Media.Flow;

/// <summary>
/// Loads OpenCvSharp's native library once and turns a missing dependency into an actionable error. The official
/// linux-x64 runtime links OpenCV statically but needs GTK 3 (highgui) at load time.
/// </summary>
internal static class OpenCvNative
{
    private static readonly Lazy<Exception?> LoadFailure = new(Probe, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Throws <see cref="OpenCvUnavailableException"/> when the native OpenCV library cannot be loaded.</summary>
    public static void EnsureLoaded()
    {
        if (LoadFailure.Value is { } failure)
        {
            throw Explain(failure);
        }
    }

    private static OpenCvUnavailableException Explain(Exception e) => new(
        "OpenCV (OpenCvSharp4.official.runtime.linux-x64) could not be loaded: its native library needs GTK 3. " +
        "Install it with 'apt-get install libgtk-3-0' (./sv does this). " + e.Message,
        e);

    private static Exception? Probe()
    {
        try
        {
            using var probe = new Mat(1, 1, MatType.CV_8UC1, Scalar.All(0));
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException)
        {
            return e;
        }
    }
}
