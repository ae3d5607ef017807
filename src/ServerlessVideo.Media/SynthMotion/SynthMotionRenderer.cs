using ServerlessVideo.Core.Tensors;

namespace ServerlessVideo.Media.SynthMotion;

/// <summary>Draws a <see cref="SynthMotionScene"/> at any time and frame size, RGB24.</summary>
public static class SynthMotionRenderer
{
    /// <summary>
    /// One frame of <paramref name="width"/>×<paramref name="height"/>; the scene's unit square is the frame's central
    /// square, so wider frames show more background at the sides.
    /// </summary>
    public static void RenderFrame(SynthMotionScene scene, double t, int width, int height, Span<byte> rgb)
    {
        if (rgb.Length != width * height * 3)
        {
            throw new ArgumentException("Buffer size does not match the frame.", nameof(rgb));
        }

        var side = (double)Math.Min(width, height);
        var ox = (width - side) / 2;
        var oy = (height - side) / 2;
        var (sx, sy) = scene.ShakeAt(t);
        var (cx, cy, size, angle) = scene.ObjectAt(t);
        var cos = Math.Cos(-angle);
        var sin = Math.Sin(-angle);
        // Distractors pulse with time only: their radii are per frame, not per pixel.
        var distractors = scene.Distractors.Select(d => (d.X, d.Y, R: d.R * (1 + (0.25 * Math.Sin((3 * t) + d.Phase))), d.Colour)).ToArray();
        for (var py = 0; py < height; py++)
        {
            var y = ((py + 0.5 - oy) / side) - sy;
            for (var px = 0; px < width; px++)
            {
                var x = ((px + 0.5 - ox) / side) - sx;
                var colour = Background(scene, x, y);
                foreach (var d in distractors)
                {
                    if (((x - d.X) * (x - d.X)) + ((y - d.Y) * (y - d.Y)) < d.R * d.R)
                    {
                        colour = d.Colour;
                    }
                }

                var u = (((x - cx) * cos) - ((y - cy) * sin)) / size;
                var v = (((x - cx) * sin) + ((y - cy) * cos)) / size;
                if (Covers(scene, u, v, out var shade))
                {
                    var c = scene.ObjectColour;
                    colour = ((byte)(c.R * shade), (byte)(c.G * shade), (byte)(c.B * shade));
                }

                var i = ((py * width) + px) * 3;
                rgb[i] = colour.R;
                rgb[i + 1] = colour.G;
                rgb[i + 2] = colour.B;
            }
        }
    }

    /// <summary>Frames at <paramref name="times"/>, <paramref name="size"/>² pixels of the central square, as a clip tensor.</summary>
    public static ClipTensor RenderClip(SynthMotionScene scene, IReadOnlyList<double> times, int size)
    {
        var frameBytes = size * size * 3;
        var data = new byte[frameBytes * times.Count];
        for (var k = 0; k < times.Count; k++)
        {
            RenderFrame(scene, times[k], size, size, data.AsSpan(k * frameBytes, frameBytes));
        }

        return new ClipTensor(times.Count, size, size, data);
    }

    /// <summary>Whether the object covers local point (u, v) (object units), and how bright it is there.</summary>
    private static bool Covers(SynthMotionScene scene, double u, double v, out double shade)
    {
        shade = 1;
        var r2 = (u * u) + (v * v);
        switch (scene.Label)
        {
            case 8:
                return r2 is > 0.36 and < 1;
            case 9:
                return (Math.Abs(u) < 0.3 && Math.Abs(v) < 1) || (Math.Abs(v) < 0.3 && Math.Abs(u) < 1);
            case 10:
                shade = Math.Sin(u * 9) > 0 ? 1 : 0.35;
                return Math.Abs(u) < 1 && Math.Abs(v) < 1;
            case 11:
                return (((u - 1.2) * (u - 1.2)) + (v * v) < 0.3) || (((u + 1.2) * (u + 1.2)) + (v * v) < 0.3);
            // Each temporal pair has its own shape, so a single frame tells the pair but never the order within it.
            case 0 or 1:
                return Math.Abs(u) < 0.85 && Math.Abs(v) < 0.85;
            case 2 or 3:
                return r2 < 1;
            case 4 or 5:
                return Arrow(u, v);
            default:
                return Math.Abs(u) + Math.Abs(v) < 1.1;
        }
    }

    /// <summary>A triangle pointing along +u: no rotational symmetry, so its rotation is visible.</summary>
    private static bool Arrow(double u, double v) => u > -0.8 && u < 1.2 && Math.Abs(v) < 0.6 * (1.2 - u) / 2.0;

    private static (byte R, byte G, byte B) Background(SynthMotionScene s, double x, double y)
    {
        double w;
        switch (s.BackgroundKind)
        {
            case 0:
                w = Math.Clamp((x + y) / 2, 0, 1);
                break;
            case 1:
                w = 0.5 + (0.5 * Math.Sin(s.BackgroundFrequency * 6.283 * (x - (0.6 * y))));
                break;
            default:
                var gx = (int)Math.Floor(x * s.BackgroundFrequency * 2);
                var gy = (int)Math.Floor(y * s.BackgroundFrequency * 2);
                w = (Hash(gx, gy, s.NoiseSeed) & 0xff) / 255.0;
                break;
        }

        return ((byte)(s.Background1.R + ((s.Background2.R - s.Background1.R) * w)),
            (byte)(s.Background1.G + ((s.Background2.G - s.Background1.G) * w)),
            (byte)(s.Background1.B + ((s.Background2.B - s.Background1.B) * w)));
    }

    private static int Hash(int x, int y, int seed)
    {
        unchecked
        {
            var h = (x * 374761393) + (y * 668265263) + (seed * 982451653);
            h = (h ^ (h >> 13)) * 1274126177;
            return h ^ (h >> 16);
        }
    }
}
