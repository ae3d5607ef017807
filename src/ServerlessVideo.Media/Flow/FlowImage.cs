using OpenCvSharp;
using ServerlessVideo.Core.Tensors;

namespace ServerlessVideo.Media.Flow;

/// <summary>
/// Flow fields as pictures for people: the usual HSV colour wheel (as in OpenCV's optical-flow tutorial and
/// Middlebury-style figures): hue = direction (red → right, then clockwise on screen through yellow-green to cyan →
/// left), full saturation, value = magnitude / largest magnitude. Encoded as PNG by OpenCV.
/// </summary>
public static class FlowImage
{
    /// <summary>
    /// PNG (8-bit BGR as OpenCV writes it, width × height) of an interleaved (x, y) flow field.
    /// </summary>
    /// <param name="flow">2·width·height floats, interleaved x, y, in pixels.</param>
    /// <param name="width">Field width.</param>
    /// <param name="height">Field height.</param>
    /// <param name="maxMagnitude">Magnitude drawn at full brightness; 0 (default) uses the field's own largest.</param>
    /// <exception cref="OpenCvUnavailableException">OpenCV's native library cannot be loaded (install libgtk-3-0).</exception>
    public static byte[] ToPng(ReadOnlySpan<float> flow, int width, int height, double maxMagnitude = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxMagnitude);
        var n = checked(width * height);
        if (flow.Length != 2 * n)
        {
            throw new ArgumentException($"Flow must hold 2×{n} floats, got {flow.Length}.", nameof(flow));
        }

        var max = maxMagnitude;
        if (max == 0)
        {
            for (var i = 0; i < n; i++)
            {
                max = Math.Max(max, Magnitude(flow[2 * i], flow[(2 * i) + 1]));
            }
        }

        var hsv = new byte[3 * n];
        for (var i = 0; i < n; i++)
        {
            double fx = flow[2 * i], fy = flow[(2 * i) + 1];
            if (!double.IsFinite(fx) || !double.IsFinite(fy))
            {
                continue;
            }

            // Angle in [0, 2π) measured in image coordinates (y down); OpenCV's 8-bit hue spans 0…180 for 0…360°.
            var angle = Math.Atan2(fy, fx);
            if (angle < 0)
            {
                angle += 2 * Math.PI;
            }

            var hue = (int)Math.Round(angle * 90.0 / Math.PI);
            hsv[3 * i] = (byte)(hue >= 180 ? hue - 180 : hue);
            hsv[(3 * i) + 1] = 255;
            hsv[(3 * i) + 2] = max > 0 ? (byte)Math.Round(Math.Min(1.0, Magnitude(fx, fy) / max) * 255) : (byte)0;
        }

        OpenCvNative.EnsureLoaded();
        using var hsvMat = new Mat(height, width, MatType.CV_8UC3);
        hsv.CopyTo(hsvMat.AsSpan<byte>());
        using var bgr = new Mat();
        Cv2.CvtColor(hsvMat, bgr, ColorConversionCodes.HSV2BGR);
        Cv2.ImEncode(".png", bgr, out var png);
        return png;
    }

    /// <summary>PNG of frame <paramref name="frame"/> of a quantised flow clip (see <see cref="FlowStack"/>).</summary>
    public static byte[] ToPng(ClipTensor flowClip, int frame, double bound, double maxMagnitude = 0)
    {
        ArgumentNullException.ThrowIfNull(flowClip);
        if (flowClip.Channels != ClipTensor.FlowChannels)
        {
            throw new ArgumentException($"Expected a flow clip ({ClipTensor.FlowChannels} channels), got {flowClip.Channels}.", nameof(flowClip));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(frame);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(frame, flowClip.Frames);
        var field = new float[flowClip.FrameBytes];
        FlowQuantizer.Dequantize(flowClip.Data.AsSpan(frame * flowClip.FrameBytes, flowClip.FrameBytes), bound, field);
        return ToPng(field, flowClip.Width, flowClip.Height, maxMagnitude);
    }

    /// <summary>
    /// PNG of the flow <paramref name="flow"/> asks for from frame <paramref name="frame"/> to the next of an RGB clip,
    /// computed as the models' flow is (<see cref="FlowStack"/>), drawn with the field's own largest magnitude at full brightness.
    /// </summary>
    public static byte[] OfFrames(ClipTensor rgb, int frame, Core.Manifests.FlowSpec flow)
    {
        ArgumentNullException.ThrowIfNull(rgb);
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentOutOfRangeException.ThrowIfNegative(frame);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(frame + 1, rgb.Frames);
        var pair = new ClipTensor(2, rgb.Height, rgb.Width, rgb.Channels, rgb.Data.AsSpan(frame * rgb.FrameBytes, 2 * rgb.FrameBytes).ToArray());
        return ToPng(FlowStack.Compute(pair, flow), 0, flow.Bound);
    }

    private static double Magnitude(double x, double y) =>
        double.IsFinite(x) && double.IsFinite(y) ? Math.Sqrt((x * x) + (y * y)) : 0;
}
