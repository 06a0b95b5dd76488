using System.Diagnostics.CodeAnalysis;
using Vigil.Records;

namespace Vigil.Sources;

/// <summary>
/// Reads an auditd log file (RAW or ENRICHED) line by line in constant memory and hands each record to a sink; a BSM
/// audit trail (macOS, FreeBSD), told by its first bytes, is read record by record through <see cref="BsmTrailReader"/>.
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

    /// <summary>Reads the whole file into <paramref name="sink"/>; returns the number of lines (a trail's records) read.</summary>
    /// <exception cref="FileNotFoundException">The file or its directory does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    public long Read(IRecordSink sink, CancellationToken cancellationToken = default)
    {
        using var stream = OpenStream();
        return Read(stream, sink, cancellationToken);
    }

    /// <summary>
    /// Reads lines, or a BSM trail's records when a seekable <paramref name="stream"/> starts like one, until its end;
    /// returns the number of lines or records read.
    /// </summary>
    public static long Read(Stream stream, IRecordSink sink, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sink);
        using ChunkReader reader = IsBsmTrail(stream) ? new BsmTrailReader(stream, sink) : new LogFileReader(stream, sink);
        while (reader.ReadChunk())
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        return reader.Count;
    }

    /// <summary>Whether the file is a BSM trail, whose count <see cref="Read(IRecordSink, CancellationToken)"/> gives in records rather than lines.</summary>
    public bool IsBsmTrail()
    {
        using var stream = OpenStream();
        return IsBsmTrail(stream);
    }

    // Only a stream that can go back is looked at: the files --audit_log_file names are; a pipe is read as text.
    private static bool IsBsmTrail(Stream stream)
    {
        if (!stream.CanSeek)
        {
            return false;
        }

        var start = stream.Position;
        Span<byte> signature = stackalloc byte[BsmTrailReader.SignatureLength];
        var read = stream.ReadAtLeast(signature, signature.Length, throwOnEndOfStream: false);
        stream.Position = start;
        return BsmTrailReader.IsTrail(signature[..read]);
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
