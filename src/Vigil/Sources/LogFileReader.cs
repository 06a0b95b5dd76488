using System.Buffers;
using Vigil.Records;

namespace Vigil.Sources;

/// <summary>
/// Reads an auditd log stream one buffer at a time, handing each complete line's record to a sink, so a caller can
/// pull records as it needs them; memory stays at one buffer whatever the stream holds. The stream stays the caller's.
/// </summary>
public sealed class LogFileReader : IDisposable
{
    private const int ReadSize = 64 * 1024;

    private readonly Stream _stream;
    private readonly IRecordSink _sink;
    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(LogFileSource.MaxLineLength + ReadSize);

    /// <summary>Bytes of an incomplete line waiting at the start of the buffer.</summary>
    private int _pending;

    /// <summary>Inside a line already reported as too long, until its newline.</summary>
    private bool _skipping;

    /// <summary>A reader of <paramref name="stream"/> delivering to <paramref name="sink"/>.</summary>
    public LogFileReader(Stream stream, IRecordSink sink)
    {
        _stream = stream;
        _sink = sink;
    }

    /// <summary>Lines read so far, including malformed ones.</summary>
    public long Lines { get; private set; }

    /// <summary>Reads once from the stream and delivers the lines it completed; false once the stream has ended (its last line delivered).</summary>
    public bool ReadChunk()
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(LogFileReader));
        var read = _stream.Read(buffer, _pending, buffer.Length - _pending);
        if (read > 0)
        {
            Consume(buffer, read);
            return true;
        }

        if (_pending > 0 && !_skipping)
        {
            Deliver(buffer.AsSpan(0, _pending));
        }

        _pending = 0;
        return false;
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Consume(byte[] buffer, int read)
    {
        var data = buffer.AsSpan(0, _pending + read);
        var start = 0;
        int newline;
        while ((newline = data[start..].IndexOf((byte)'\n')) >= 0)
        {
            var line = data.Slice(start, newline);
            start += newline + 1;
            if (_skipping)
            {
                _skipping = false;
                continue;
            }

            Deliver(line);
        }

        var rest = data[start..];
        if (rest.Length > LogFileSource.MaxLineLength || (_skipping && !rest.IsEmpty))
        {
            if (!_skipping)
            {
                Lines++;
                _sink.OnMalformed(rest[..LogFileSource.MaxLineLength]);
                _skipping = true;
            }

            _pending = 0;
            return;
        }

        rest.CopyTo(buffer);
        _pending = rest.Length;
    }

    private void Deliver(ReadOnlySpan<byte> line)
    {
        Lines++;
        if (line.Length > LogFileSource.MaxLineLength)
        {
            _sink.OnMalformed(line[..LogFileSource.MaxLineLength]);
        }
        else if (RecordParser.TryParseLogLine(line, out var record))
        {
            _sink.OnRecord(record);
        }
        else if (!line.TrimEnd((byte)'\r').IsEmpty)
        {
            _sink.OnMalformed(line);
        }
    }
}
