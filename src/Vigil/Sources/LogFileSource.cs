using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Vigil.Records;

namespace Vigil.Sources;

/// <summary>
/// Reads an auditd log file (RAW or ENRICHED) line by line in constant memory and hands each record to a sink.
/// </summary>
public sealed class LogFileSource
{
    /// <summary>Lines longer than this are counted as malformed and skipped without being buffered.</summary>
    public const int MaxLineLength = 64 * 1024;

    private const int ReadSize = 64 * 1024;

    /// <summary>A source over the log file at <paramref name="path"/>; nothing is opened yet.</summary>
    public LogFileSource(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
    }

    /// <summary>The log file's path.</summary>
    public string Path { get; }

    /// <summary>Reads the whole file into <paramref name="sink"/>; returns the number of lines read.</summary>
    /// <exception cref="FileNotFoundException">The file or its directory does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    public long Read(IRecordSink sink, CancellationToken cancellationToken = default)
    {
        using var stream = Open(Path);
        return Read(stream, sink, cancellationToken);
    }

    /// <summary>Reads lines from <paramref name="stream"/> until its end; returns the number of lines read.</summary>
    public static long Read(Stream stream, IRecordSink sink, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sink);
        var buffer = ArrayPool<byte>.Shared.Rent(MaxLineLength + ReadSize);
        try
        {
            var reader = new LineSplitter(buffer, sink);
            int read;
            while ((read = stream.Read(buffer, reader.Pending, buffer.Length - reader.Pending)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                reader.Consume(read);
            }

            reader.Finish();
            return reader.Lines;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static FileStream Open(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            ThrowNotFound(path, exception);
            throw;
        }
        catch (UnauthorizedAccessException exception)
        {
            ThrowUnreadable(path, exception);
            throw;
        }
    }

    [DoesNotReturn]
    private static void ThrowNotFound(string path, Exception inner) =>
        throw new FileNotFoundException($"Audit log file not found: {path}", path, inner);

    [DoesNotReturn]
    private static void ThrowUnreadable(string path, Exception inner) =>
        throw new UnauthorizedAccessException($"Audit log file is not readable: {path}", inner);

    /// <summary>Splits the bytes read so far into lines; keeps an incomplete line at the start of the buffer.</summary>
    private struct LineSplitter(byte[] buffer, IRecordSink sink)
    {
        /// <summary>Bytes of an incomplete line waiting at the start of the buffer.</summary>
        public int Pending;

        public long Lines;

        /// <summary>Inside a line already reported as too long, until its newline.</summary>
        private bool _skipping;

        public void Consume(int read)
        {
            var data = buffer.AsSpan(0, Pending + read);
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
            if (rest.Length > MaxLineLength || (_skipping && !rest.IsEmpty))
            {
                if (!_skipping)
                {
                    Lines++;
                    sink.OnMalformed(rest[..MaxLineLength]);
                    _skipping = true;
                }

                Pending = 0;
                return;
            }

            rest.CopyTo(buffer);
            Pending = rest.Length;
        }

        public void Finish()
        {
            if (Pending > 0 && !_skipping)
            {
                Deliver(buffer.AsSpan(0, Pending));
            }

            Pending = 0;
        }

        private void Deliver(ReadOnlySpan<byte> line)
        {
            Lines++;
            if (line.Length > MaxLineLength)
            {
                sink.OnMalformed(line[..MaxLineLength]);
            }
            else if (RecordParser.TryParseLogLine(line, out var record))
            {
                sink.OnRecord(record);
            }
            else if (!line.TrimEnd((byte)'\r').IsEmpty)
            {
                sink.OnMalformed(line);
            }
        }
    }
}
