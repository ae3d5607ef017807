namespace ServerlessVideo.Media.Resampling;

/// <summary>
/// A write-only stream that cuts what ffmpeg pipes into frames of <c>frameBytes</c> and keeps each one transformed, so
/// frames decoded at full size are never all held at once. <see cref="Length"/> counts the bytes received.
/// </summary>
internal sealed class FrameTransformStream(int frameBytes, Func<byte[], byte[]> transform) : Stream
{
    private readonly byte[] _frame = new byte[frameBytes];
    private int _filled;
    private long _received;

    public List<byte[]> Frames { get; } = [];

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _received;

    public override long Position { get => _received; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _received += buffer.Length;
        while (buffer.Length > 0)
        {
            var n = Math.Min(buffer.Length, _frame.Length - _filled);
            buffer[..n].CopyTo(_frame.AsSpan(_filled));
            _filled += n;
            buffer = buffer[n..];
            if (_filled == _frame.Length)
            {
                Frames.Add(transform(_frame));
                _filled = 0;
            }
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
