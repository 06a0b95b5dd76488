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

    /// <inheritdoc/>
    protected override int Consume(ReadOnlySpan<byte> data, bool atEnd)
    {
        if (atEnd)
        {
            if (!data.IsEmpty && !_skipping)
            {
                Deliver(data, data.Contains(RecordParser.EnrichmentSeparator));
            }

            return data.Length;
        }

        // The search for a line's end also finds an ENRICHED separator, so a RAW log's records (which have none) are
        // not looked through for one again, and the chunk is not looked through once more for it.
        var start = 0;
        int end;
        while ((end = data[start..].IndexOfAny((byte)'\n', RecordParser.EnrichmentSeparator)) >= 0)
        {
            var enriched = data[start + end] == RecordParser.EnrichmentSeparator;
            if (enriched)
            {
                var newline = data[(start + end + 1)..].IndexOf((byte)'\n');
                if (newline < 0)
                {
                    break;
                }

                end += newline + 1;
            }

            var line = data.Slice(start, end);
            start += end + 1;
            if (_skipping)
            {
                _skipping = false;
                continue;
            }

            Deliver(line, enriched);
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

    private void Deliver(ReadOnlySpan<byte> line, bool mayBeEnriched)
    {
        Count++;
        if (line.Length > LogFileSource.MaxLineLength)
        {
            Sink.OnMalformed(line[..LogFileSource.MaxLineLength]);
        }
        else if (RecordParser.TryParseLogLine(line, out var record, mayBeEnriched))
        {
            Sink.OnRecord(record);
        }
        else if (!line.TrimEnd((byte)'\r').IsEmpty)
        {
            Sink.OnMalformed(line);
        }
    }
}
