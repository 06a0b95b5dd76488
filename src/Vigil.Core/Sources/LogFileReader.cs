using Vigil.Records;

namespace Vigil.Sources;

/// <summary>
/// Reads an auditd log stream one buffer at a time, handing each complete line's record to a sink, so a caller can
/// pull records as it needs them; memory stays at one buffer whatever the stream holds. The stream stays the caller's.
/// </summary>
public sealed class LogFileReader(Stream stream, IRecordSink sink) : ChunkReader(stream, sink, LogFileSource.MaxLineLength + ReadSize)
{
    private const int ReadSize = 64 * 1024;

    /// <summary>Inside a line already reported as too long, until its newline.</summary>
    private bool _skipping;

    /// <summary>Whether the lines being consumed may hold an ENRICHED separator.</summary>
    private bool _mayBeEnriched;

    /// <inheritdoc/>
    protected override int Consume(ReadOnlySpan<byte> data, bool atEnd)
    {
        // A RAW log has no ENRICHED separator at all: one look through the chunk spares one through every record.
        _mayBeEnriched = data.Contains(RecordParser.EnrichmentSeparator);
        if (atEnd)
        {
            if (!data.IsEmpty && !_skipping)
            {
                Deliver(data);
            }

            return data.Length;
        }

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
                Count++;
                Sink.OnMalformed(rest[..LogFileSource.MaxLineLength]);
                _skipping = true;
            }

            return data.Length;
        }

        return start;
    }

    private void Deliver(ReadOnlySpan<byte> line)
    {
        Count++;
        if (line.Length > LogFileSource.MaxLineLength)
        {
            Sink.OnMalformed(line[..LogFileSource.MaxLineLength]);
        }
        else if (RecordParser.TryParseLogLine(line, out var record, _mayBeEnriched))
        {
            Sink.OnRecord(record);
        }
        else if (!line.TrimEnd((byte)'\r').IsEmpty)
        {
            Sink.OnMalformed(line);
        }
    }
}
