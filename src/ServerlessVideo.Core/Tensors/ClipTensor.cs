using System.Buffers.Binary;

namespace ServerlessVideo.Core.Tensors;

/// <summary>
/// One clip of frames as ffmpeg emits them: uint8, layout T×H×W×C, row-major, with C = 3 for RGB frames and C = 2 for
/// quantised optical flow (x, y). Kept as bytes between stages (a quarter of float32) and normalised only at
/// inference, where each model's mean/std apply.
/// </summary>
public sealed class ClipTensor
{
    /// <summary>File magic + version of the serialised form: "SVC1".</summary>
    private static ReadOnlySpan<byte> Magic => "SVC1"u8;

    private const int HeaderBytes = 4 + (4 * 4);

    public ClipTensor(int frames, int height, int width, byte[] data)
        : this(frames, height, width, RgbChannels, data)
    {
    }

    public ClipTensor(int frames, int height, int width, int channels, byte[] data)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frames, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length != (long)frames * height * width * channels)
        {
            throw new ArgumentException($"Expected {frames}×{height}×{width}×{channels} bytes, got {data.Length}.", nameof(data));
        }

        Channels = channels;
        Frames = frames;
        Height = height;
        Width = width;
        Data = data;
    }

    /// <summary>Channels of an RGB clip.</summary>
    public const int RgbChannels = 3;

    /// <summary>Channels of a quantised optical-flow clip (x, y).</summary>
    public const int FlowChannels = 2;

    public int Channels { get; }

    public int Frames { get; }

    public int Height { get; }

    public int Width { get; }

    /// <summary>Pixels, T×H×W×C bytes.</summary>
    public byte[] Data { get; }

    public int FrameBytes => Height * Width * Channels;

    /// <summary>Frames 0, k, 2k, … (SlowFast's slow pathway); this clip itself when <paramref name="stride"/> is 1.</summary>
    public ClipTensor TakeEvery(int stride)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        if (stride == 1)
        {
            return this;
        }

        var frames = ((Frames - 1) / stride) + 1;
        var data = new byte[frames * FrameBytes];
        for (var t = 0; t < frames; t++)
        {
            Data.AsSpan(t * stride * FrameBytes, FrameBytes).CopyTo(data.AsSpan(t * FrameBytes));
        }

        return new ClipTensor(frames, Height, Width, Channels, data);
    }

    /// <summary>Serialises as "SVC1", int32 little-endian T, H, W, C, then the pixels.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[HeaderBytes + Data.Length];
        Magic.CopyTo(bytes);
        var span = bytes.AsSpan(4);
        BinaryPrimitives.WriteInt32LittleEndian(span, Frames);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], Height);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], Width);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], Channels);
        Data.CopyTo(bytes, HeaderBytes);
        return bytes;
    }

    /// <summary>Clips serialised one after another by <see cref="ToBytes"/>.</summary>
    public static IReadOnlyList<ClipTensor> ManyFromBytes(ReadOnlySpan<byte> bytes)
    {
        var clips = new List<ClipTensor>();
        while (bytes.Length > 0)
        {
            if (bytes.Length < HeaderBytes)
            {
                throw new InvalidDataException("Truncated clip tensor header.");
            }

            var length = HeaderBytes + ((long)BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]) * BinaryPrimitives.ReadInt32LittleEndian(bytes[8..])
                * BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]) * BinaryPrimitives.ReadInt32LittleEndian(bytes[16..]));
            if (length <= HeaderBytes || length > bytes.Length)
            {
                throw new InvalidDataException($"Clip tensor of {length} bytes does not fit the {bytes.Length} left.");
            }

            clips.Add(FromBytes(bytes[..(int)length]));
            bytes = bytes[(int)length..];
        }

        return clips;
    }

    public static ClipTensor FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderBytes || !bytes[..4].SequenceEqual(Magic))
        {
            throw new InvalidDataException("Not a clip tensor (missing SVC1 header).");
        }

        var t = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
        var h = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]);
        var w = BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]);
        var c = BinaryPrimitives.ReadInt32LittleEndian(bytes[16..]);
        if (c is < 1 or > 4 || t < 1 || h < 1 || w < 1 || (long)t * h * w * c != bytes.Length - HeaderBytes)
        {
            throw new InvalidDataException($"Clip tensor header {t}×{h}×{w}×{c} does not match its {bytes.Length - HeaderBytes} data bytes.");
        }

        return new ClipTensor(t, h, w, c, bytes[HeaderBytes..].ToArray());
    }
}
