namespace ServerlessVideo.Media.SynthMotion;

/// <summary>
/// The twelve SynthMotion classes. Eight come in pairs that differ only in temporal order (a clip of one played
/// backwards is a clip of the other); each pair has its own object shape (square, circle, arrow, diamond), so one frame
/// tells the pair but not the order. The four still classes are told apart by any single frame (ring, cross, striped
/// square, pair of dots). A frame-level model should therefore reach about 4/12 + 8/12 · 1/2 ≈ 67 % overall and
/// about 50 % (chance within a pair) on the temporal-order classes.
/// </summary>
public static class SynthMotionClasses
{
    public static readonly IReadOnlyList<string> Labels =
    [
        "move-left", "move-right", "move-up", "move-down",
        "rotate-cw", "rotate-ccw", "grow", "shrink",
        "still-ring", "still-cross", "still-stripes", "still-pair",
    ];

    /// <summary>Index pairs that only temporal order separates.</summary>
    public static readonly IReadOnlyList<(int A, int B)> TemporalPairs = [(0, 1), (2, 3), (4, 5), (6, 7)];

    public static bool IsTemporalPairClass(int label) => label < 8;
}
