using System.Buffers.Binary;

namespace ServerlessVideo.Core.Tensors;

/// <summary>
/// One clip of frames as ffmpeg emits them: uint8, layout T×H×W×C with C = 3 (RGB), row-major. Kept as bytes
/// between stages (a quarter of float32) and normalised only at inference, where each model's mean/std apply.
/// </summary>
public sealed class ClipTensor
{
    /// <summary>File magic + version of the serialised form: "SVC1".</summary>
    private static ReadOnlySpan<byte> Magic => "SVC1"u8;

    private const int HeaderBytes = 4 + (4 * 4);

    public ClipTensor(int frames, int height, int width, byte[] data)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frames, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (data.Length != (long)frames * height * width * Channels)
        {
            throw new ArgumentException($"Expected {frames}×{height}×{width}×{Channels} bytes, got {data.Length}.", nameof(data));
        }

        Frames = frames;
        Height = height;
        Width = width;
        Data = data;
    }

    public const int Channels = 3;

    public int Frames { get; }

    public int Height { get; }

    public int Width { get; }

    /// <summary>Pixels, T×H×W×3 bytes.</summary>
    public byte[] Data { get; }

    public int FrameBytes => Height * Width * Channels;

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
        if (c != Channels)
        {
            throw new InvalidDataException($"Clip tensor has {c} channels; expected {Channels}.");
        }

        return new ClipTensor(t, h, w, bytes[HeaderBytes..].ToArray());
    }
}
