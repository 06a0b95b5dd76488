namespace Vigil.Logging;

/// <summary>
/// osquery's <c>filesystem</c> logger plugin: results appended to <c>&lt;logger_path&gt;/vigil.results.log</c>, snapshots to
/// <c>vigil.snapshots.log</c>, one JSON object per line, flushed after each run, rotated by size when enabled. A logger
/// directory removed while running is created again at the next write, and that is reported once to the status log.
/// </summary>
public sealed class FilesystemResultSink : IResultSink
{
    private readonly FilesystemLoggerOptions _options;
    private readonly LoggerDirectory _directory;
    private readonly IStatusLog? _status;
    private readonly Lock _resultsLock = new();
    private readonly Lock _snapshotsLock = new();

    /// <summary>
    /// Creates the directory if needed and the (empty) results file, as osquery does at setup; <paramref name="status"/>
    /// hears when the directory had to be created again.
    /// </summary>
    public FilesystemResultSink(FilesystemLoggerOptions options, IStatusLog? status = null)
    {
        _options = options;
        _status = status;
        ResultsPath = Path.Combine(options.LoggerPath, options.FilePrefix + ".results.log");
        SnapshotsPath = Path.Combine(options.LoggerPath, options.FilePrefix + ".snapshots.log");
        _directory = new LoggerDirectory(options.LoggerPath);
        using (Open(ResultsPath))
        {
        }
    }

    /// <summary>The results log path.</summary>
    public string ResultsPath { get; }

    /// <summary>The snapshots log path.</summary>
    public string SnapshotsPath { get; }

    /// <summary>
    /// Creates the logger directory again when it was removed, reporting it; throws <see cref="IOException"/> when it
    /// cannot be (a file in its place).
    /// </summary>
    public void EnsureDirectory()
    {
        if (_directory.Recreate() is { } report)
        {
            _status?.Warning(report);
        }
    }

    /// <inheritdoc />
    public void LogResults(Utf8Lines lines)
    {
        lock (_resultsLock)
        {
            Append(ResultsPath, lines);
        }
    }

    /// <inheritdoc />
    public void LogSnapshots(Utf8Lines lines)
    {
        lock (_snapshotsLock)
        {
            Append(SnapshotsPath, lines);
        }
    }

    private void Append(string path, Utf8Lines lines)
    {
        EnsureDirectory();
        var stream = Open(path);
        try
        {
            foreach (var chunk in lines.Chunks)
            {
                var rest = chunk.Span;
                while (rest.Length > 0)
                {
                    // Like osquery, the size is checked before every line, so a file ends at the first line that crosses the limit.
                    if (_options.Rotate && stream.Length >= _options.RotateSize)
                    {
                        stream.Dispose();
                        LogRotation.Rotate(path, _options.RotateMaxFiles);
                        stream = Open(path);
                    }

                    var end = rest.IndexOf((byte)'\n') + 1;
                    stream.Write(rest[..end]);
                    rest = rest[end..];
                }
            }

            stream.Flush();
        }
        finally
        {
            stream.Dispose();
        }
    }

    private FileStream Open(string path) => LogFile.OpenAppend(path, _options.Mode);
}
