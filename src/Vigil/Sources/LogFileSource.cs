using System.Diagnostics.CodeAnalysis;

namespace Vigil.Sources;

/// <summary>
/// Reads an auditd log file (RAW or ENRICHED) line by line in constant memory and hands each record to a sink.
/// </summary>
public sealed class LogFileSource
{
    /// <summary>Lines longer than this are counted as malformed and skipped without being buffered.</summary>
    public const int MaxLineLength = 64 * 1024;

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
        using var stream = OpenStream();
        return Read(stream, sink, cancellationToken);
    }

    /// <summary>Reads lines from <paramref name="stream"/> until its end; returns the number of lines read.</summary>
    public static long Read(Stream stream, IRecordSink sink, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sink);
        using var reader = new LogFileReader(stream, sink);
        while (reader.ReadChunk())
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        return reader.Lines;
    }

    /// <summary>Opens the file for <see cref="LogFileReader"/>; throws with its path when it is missing or unreadable.</summary>
    /// <exception cref="FileNotFoundException">The file or its directory does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    public FileStream OpenStream() => Open(Path);

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
}
