using System.Buffers;
using Vigil.Records;

namespace Vigil.Sources;

/// <summary>
/// Reads a stream one read at a time into one pooled buffer and hands what it holds to <see cref="Consume"/>, keeping
/// the bytes it leaves (an incomplete line or record) for the next read: the log file and trail readers' shared part.
/// Memory stays at one buffer; the stream stays the caller's.
/// </summary>
public abstract class ChunkReader : IDisposable
{
    private readonly Stream _stream;
    private byte[]? _buffer;

    /// <summary>Bytes left by the last <see cref="Consume"/>, waiting at the start of the buffer.</summary>
    private int _pending;

    /// <summary>A reader of <paramref name="stream"/> delivering to <paramref name="sink"/>, with a buffer of at least <paramref name="bufferLength"/> bytes.</summary>
    protected ChunkReader(Stream stream, IRecordSink sink, int bufferLength)
    {
        _stream = stream;
        Sink = sink;
        _buffer = ArrayPool<byte>.Shared.Rent(bufferLength);
    }

    /// <summary>Where records and malformed input go.</summary>
    protected IRecordSink Sink { get; }

    /// <summary>Lines or records read so far, malformed ones included.</summary>
    public long Count { get; protected set; }

    /// <summary>Reads once and delivers what it completed; false once the stream has ended (everything delivered).</summary>
    public bool ReadChunk()
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(GetType().Name);
        var read = _stream.Read(buffer, _pending, buffer.Length - _pending);
        var data = buffer.AsSpan(0, _pending + read);
        var consumed = Consume(data, atEnd: read == 0);
        data[consumed..].CopyTo(buffer);
        _pending = data.Length - consumed;
        return read > 0;
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Delivers what <paramref name="data"/> (the bytes kept and those just read) completes; returns how many bytes are
    /// done with. At the stream's end (<paramref name="atEnd"/>) nothing more will come, so everything is done with.
    /// </summary>
    protected abstract int Consume(ReadOnlySpan<byte> data, bool atEnd);
}
