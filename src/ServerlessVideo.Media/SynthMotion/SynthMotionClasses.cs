namespace ServerlessVideo.Media.SynthMotion;

/// <summary>
/// The twelve SynthMotion classes. Eight come in pairs that differ only in temporal order (a clip of one played
/// backwards is a clip of the other); four are told apart by any single frame (what the object looks like).
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
