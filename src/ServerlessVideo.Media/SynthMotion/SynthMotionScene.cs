namespace ServerlessVideo.Media.SynthMotion;

/// <summary>
/// One clip's scene, drawn from its seed: background, distractors, camera shake, and the object's colour, size,
/// speed and start; its shape and motion make the class (each temporal pair shares a shape). Coordinates are in units of the central square of the frame (what a
/// short-side resize plus centre crop keeps), so the same scene renders to training tensors and to videos of any
/// aspect ratio alike. Time is in seconds.
/// </summary>
public sealed class SynthMotionScene
{
    public SynthMotionScene(int seed, int label)
    {
        Seed = seed;
        Label = label;
        var r = new Random(SynthMotionSeeds.Mix(seed));
        Duration = 2.5 + (r.NextDouble() * 1.5);
        BackgroundKind = r.Next(3);
        Background1 = RandomColour(r, 40, 200);
        Background2 = RandomColour(r, 40, 200);
        BackgroundFrequency = 2 + (r.NextDouble() * 6);
        NoiseSeed = r.Next();
        ObjectColour = DistinctColour(r, Background1, Background2);
        Size = 0.10 + (r.NextDouble() * 0.08);
        Speed = 0.12 + (r.NextDouble() * 0.12);
        AngularSpeed = Math.PI * (0.35 + (r.NextDouble() * 0.4));
        GrowthRate = 0.25 + (r.NextDouble() * 0.15);
        Angle0 = r.NextDouble() * Math.PI * 2;
        var travel = Speed * Duration;
        var margin = 0.12 + Size;
        (StartX, StartY) = label switch
        {
            0 => (Uniform(r, margin + travel, 1 - margin), Uniform(r, margin, 1 - margin)),
            1 => (Uniform(r, margin, 1 - margin - travel), Uniform(r, margin, 1 - margin)),
            2 => (Uniform(r, margin, 1 - margin), Uniform(r, margin + travel, 1 - margin)),
            3 => (Uniform(r, margin, 1 - margin), Uniform(r, margin, 1 - margin - travel)),
            _ => (Uniform(r, 0.35, 0.65), Uniform(r, 0.35, 0.65)),
        };
        Distractors = Enumerable.Range(0, r.Next(1, 3))
            .Select(_ => (X: Uniform(r, 0.05, 0.95), Y: Uniform(r, 0.05, 0.95), R: 0.02 + (r.NextDouble() * 0.03), Colour: RandomColour(r, 0, 255), Phase: r.NextDouble() * 6.3))
            .ToList();
        ShakeSeed = r.Next();
        ShakeAmplitude = r.NextDouble() * 0.015;
    }

    public int Seed { get; }
    public int Label { get; }
    public double Duration { get; }
    public int BackgroundKind { get; }
    public (byte R, byte G, byte B) Background1 { get; }
    public (byte R, byte G, byte B) Background2 { get; }
    public double BackgroundFrequency { get; }
    public int NoiseSeed { get; }
    public (byte R, byte G, byte B) ObjectColour { get; }
    public double Size { get; }
    public double Speed { get; }
    public double AngularSpeed { get; }
    public double GrowthRate { get; }
    public double Angle0 { get; }
    public double StartX { get; }
    public double StartY { get; }
    public IReadOnlyList<(double X, double Y, double R, (byte R, byte G, byte B) Colour, double Phase)> Distractors { get; }
    public int ShakeSeed { get; }
    public double ShakeAmplitude { get; }

    /// <summary>Object centre, size and angle at time <paramref name="t"/>.</summary>
    public (double X, double Y, double Size, double Angle) ObjectAt(double t) => Label switch
    {
        0 => (StartX - (Speed * t), StartY, Size, Angle0),
        1 => (StartX + (Speed * t), StartY, Size, Angle0),
        2 => (StartX, StartY - (Speed * t), Size, Angle0),
        3 => (StartX, StartY + (Speed * t), Size, Angle0),
        4 => (StartX, StartY, Size * 1.4, Angle0 + (AngularSpeed * t)),
        5 => (StartX, StartY, Size * 1.4, Angle0 - (AngularSpeed * t)),
        6 => (StartX, StartY, Size * (1 + (GrowthRate * t)), Angle0),
        7 => (StartX, StartY, Size * (1 + (GrowthRate * Duration)) * (1 - (GrowthRate * t / (1 + (GrowthRate * Duration)))), Angle0),
        _ => (StartX, StartY, Size * 1.3, Angle0),
    };

    /// <summary>Camera shake at time <paramref name="t"/>: a smooth random offset, in scene units.</summary>
    public (double X, double Y) ShakeAt(double t)
    {
        var phase = (ShakeSeed % 1000) / 159.0;
        return (ShakeAmplitude * Math.Sin((7.1 * t) + phase), ShakeAmplitude * Math.Cos((5.3 * t) + (2 * phase)));
    }

    private static double Uniform(Random r, double lo, double hi) => hi <= lo ? (lo + hi) / 2 : lo + (r.NextDouble() * (hi - lo));

    private static (byte, byte, byte) RandomColour(Random r, int lo, int hi) =>
        ((byte)r.Next(lo, hi), (byte)r.Next(lo, hi), (byte)r.Next(lo, hi));

    /// <summary>A saturated colour far from both background colours, so the object is always visible.</summary>
    private static (byte, byte, byte) DistinctColour(Random r, (byte R, byte G, byte B) a, (byte R, byte G, byte B) b)
    {
        (byte, byte, byte) best = (255, 255, 255);
        var bestDistance = -1.0;
        for (var i = 0; i < 12; i++)
        {
            var c = ((byte)r.Next(256), (byte)r.Next(256), (byte)r.Next(256));
            var d = Math.Min(Distance(c, a), Distance(c, b));
            if (d > bestDistance)
            {
                (best, bestDistance) = (c, d);
            }
        }

        return best;
    }

    private static double Distance((byte R, byte G, byte B) x, (byte R, byte G, byte B) y) =>
        Math.Abs(x.R - y.R) + Math.Abs(x.G - y.G) + Math.Abs(x.B - y.B);
}
