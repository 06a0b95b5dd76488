using Vigil.Logging;
using Vigil.Remote;

namespace Vigil.Daemon;

/// <summary>
/// The daemon's result sink: holds a tick's lines and delivers them so that, across a SIGKILL at any instant, every
/// run is in the filesystem logs exactly once. <see cref="Commit"/> writes the run's state, its events_optimize marks
/// and a journal of the appends (file, length before, bytes) in one SQLite transaction, then appends and fsyncs, then
/// empties the journal. A crash before the transaction leaves old marks and no lines, so the run repeats; a crash
/// after it leaves a journal that <see cref="Recover"/> completes: an append already whole is kept, a partial one is
/// cut back to its offset and written again. The stdout sink has no file to check and gets a run at most once.
/// The TLS logger's lines go into its buffer in that same transaction (<see cref="TlsLogBuffer"/>), and leave it
/// when the server acknowledged them.
/// When an append, its fsync or the journal's removal fails while running (the logger directory removed and a file put
/// in its place, a full, read-only or failing disk under the logs or the database), the journal is kept and completed
/// the same way before any later run is committed; until it can be, later runs are refused (their state is not
/// committed, so differential queries report their changes at the first run that logs). A journal left by a run that
/// died is completed by <see cref="Recover"/> at start, or, when that fails too, before the first commit.
/// </summary>
public sealed class JournaledResultLog : IResultSink
{
    private static readonly UnixFileMode LogMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    private readonly IReadOnlyList<IResultSink> _sinks;
    private readonly DaemonStateStore _state;
    // Encoded as they arrive (the strings of a large run are garbage as soon as it is logged), and shared with the
    // logger's encoding rather than copied.
    private readonly Utf8Lines _results = new();
    private readonly Utf8Lines _snapshots = new();
    private readonly IStatusLog _status;
    private readonly TlsLogBuffer? _remote;
    private bool _undelivered;

    /// <summary>
    /// Delivers committed lines to <paramref name="sinks"/> and to <paramref name="remote"/>'s buffer when given,
    /// journaling in <paramref name="state"/>; <paramref name="status"/> hears about completed appends.
    /// </summary>
    public JournaledResultLog(IReadOnlyList<IResultSink> sinks, DaemonStateStore state, IStatusLog status, TlsLogBuffer? remote = null)
    {
        _sinks = sinks;
        _state = state;
        _status = status;
        _remote = remote;
    }

    /// <inheritdoc/>
    public void LogResults(Utf8Lines lines) => _results.AddRange(lines);

    /// <inheritdoc/>
    public void LogSnapshots(Utf8Lines lines) => _snapshots.AddRange(lines);

    /// <summary>
    /// Commits the state and marks of the runs since the last call, then delivers their lines (nothing, not even a
    /// transaction, when there was no run and nothing is left undelivered: then it returns false); throws
    /// <see cref="IOException"/> when a log cannot be written, or the database's exception when the state cannot be.
    /// The lines of a commit whose append failed stay journaled and are written first by the next call; when that fails
    /// too, the runs of this call are not committed (the caller discards them) and the call throws.
    /// </summary>
    public bool Commit(IReadOnlyDictionary<string, Dictionary<string, long>> marks)
    {
        // Most ticks run no query: nothing to write, so no write transaction (and WAL append) every second for nothing.
        if (!_undelivered && marks.Count == 0 && _results.Count == 0 && _snapshots.Count == 0 && !_state.HasPending)
        {
            return false;
        }

        if (_undelivered)
        {
            foreach (var sink in _sinks)
            {
                (sink as FilesystemResultSink)?.EnsureDirectory();
            }

            Complete(_state, _status, "while the result log could not be written");
            _undelivered = false;
        }

        var journal = new List<LogAppend>();
        foreach (var sink in _sinks)
        {
            if (sink is FilesystemResultSink files)
            {
                Journal(journal, files.ResultsPath, _results);
                Journal(journal, files.SnapshotsPath, _snapshots);
            }
        }

        try
        {
            _state.Commit(marks, journal, _remote is null ? null : transaction =>
            {
                // osquery's TLS logger sends snapshot lines as results too.
                _remote.Insert(transaction, TlsLogType.Result, _results);
                _remote.Insert(transaction, TlsLogType.Result, _snapshots);
            });
            _undelivered = journal.Count > 0;
            foreach (var sink in _sinks)
            {
                if (_results.Count > 0)
                {
                    sink.LogResults(_results);
                }

                if (_snapshots.Count > 0)
                {
                    sink.LogSnapshots(_snapshots);
                }
            }
        }
        finally
        {
            _results.Clear();
            _snapshots.Clear();
        }

        if (journal.Count > 0)
        {
            foreach (var append in journal)
            {
                using var file = new FileStream(append.Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                file.Flush(flushToDisk: true);
            }

            _state.ClearJournal();
        }

        _undelivered = false;
        return true;
    }

    /// <summary>Forgets the lines of the runs since the last commit.</summary>
    public void Discard()
    {
        _results.Clear();
        _snapshots.Clear();
        _state.Discard();
    }

    /// <summary>
    /// Completes the appends journaled by a run that died; returns how many had to be written again. When it throws
    /// (the logs or the database cannot be written), the next <see cref="Commit"/> completes them first.
    /// </summary>
    public int Recover()
    {
        _undelivered = true;
        var rewritten = Complete(_state, _status, "before an unclean stop");
        _undelivered = false;
        return rewritten;
    }

    private static int Complete(DaemonStateStore state, IStatusLog status, string when)
    {
        var journal = state.Journal();
        if (journal.Count == 0)
        {
            // Nothing to complete and nothing to clear: no write, so a start on a full disk has nothing to report here.
            return 0;
        }

        var rewritten = 0;
        foreach (var append in journal)
        {
            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.ReadWrite | FileShare.Delete };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = LogMode;
            }

            using var file = new FileStream(append.Path, options);
            if (HasAt(file, append))
            {
                continue;
            }

            if (file.Length >= append.Offset)
            {
                file.SetLength(append.Offset);
            }
            else
            {
                // Shorter than before the append: the file was rotated or truncated since, so the lines go at its end.
                status.Warning($"{append.Path} is shorter ({file.Length} bytes) than when results were last written ({append.Offset}); appending the journaled results at its end");
            }

            file.Seek(0, SeekOrigin.End);
            foreach (var chunk in append.Chunks)
            {
                file.Write(chunk.Span);
            }

            file.Flush(flushToDisk: true);
            rewritten++;
            status.Warning($"Completed the results journaled {when}: {append.Length} bytes to {append.Path}");
        }

        state.ClearJournal();
        return rewritten;
    }

    private static void Journal(List<LogAppend> journal, string path, Utf8Lines lines)
    {
        if (lines.Count > 0)
        {
            journal.Add(new LogAppend(path, File.Exists(path) ? new FileInfo(path).Length : 0, [.. lines.Chunks]));
        }
    }

    private static bool HasAt(FileStream file, LogAppend append)
    {
        if (file.Length < append.Offset + append.Length)
        {
            return false;
        }

        file.Seek(append.Offset, SeekOrigin.Begin);
        var actual = Array.Empty<byte>();
        foreach (var chunk in append.Chunks)
        {
            if (actual.Length < chunk.Length)
            {
                actual = new byte[chunk.Length];
            }

            file.ReadExactly(actual, 0, chunk.Length);
            if (!actual.AsSpan(0, chunk.Length).SequenceEqual(chunk.Span))
            {
                return false;
            }
        }

        return true;
    }
}
