using Microsoft.Data.Sqlite;
using Vigil.Logging;
using Vigil.Remote;

namespace Vigil.Daemon;

/// <summary>
/// The daemon's result sink: holds a tick's lines and delivers them so that, across a SIGKILL at any instant, every
/// run is in the filesystem logs exactly once. <see cref="Commit"/> journals where each append starts (file, length
/// before) in a small transaction, appends and fsyncs, then commits the runs' state and events_optimize marks with the
/// journal's removal. The lines are written once, to the logs, not also to the database: a crash before the journal
/// leaves old marks and no lines; a crash after it leaves a journal that <see cref="Recover"/> uses to cut off what
/// was appended, and the runs, never committed, run again. The stdout and syslog sinks get a run after its commit, at
/// most once. The TLS logger's lines go into its buffer in the commit's transaction (<see cref="TlsLogBuffer"/>), and
/// leave it when the server acknowledged them.
/// When an append or its fsync fails while running (the logger directory removed and a file put in its place, a full,
/// read-only or failing disk under the logs), the runs are committed with their lines journaled (the bytes this time),
/// and those are written before any later run is committed, what was appended of them checked and completed; until
/// they can be, later runs are refused (their state is not committed, so differential queries report their changes at
/// the first run that logs). When the commit fails after the appends (the database cannot be written), the appends are
/// cut off again. A journal left by a run that died is resolved by <see cref="Recover"/> at start, or, when that fails
/// too, before the first commit.
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
    /// Writes the lines of the runs since the last call to the logs and commits the runs' state and marks (nothing, not
    /// even a transaction, when there was no run and nothing is left undelivered: then it returns false); throws
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

        try
        {
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

            if (journal.Count > 0)
            {
                WriteFiles(marks, journal);
            }

            try
            {
                CommitRuns(marks, []);
            }
            catch when (journal.Count > 0)
            {
                // The runs are not committed, so their lines must not stay in the logs; if they cannot be cut off
                // now, they are before the next run is written.
                TryCutOff();
                throw;
            }

            _undelivered = false;
            Deliver(files: false);
        }
        finally
        {
            _results.Clear();
            _snapshots.Clear();
        }

        return true;
    }

    // The lines go to the files before their runs are committed, the journal holding only where each append starts:
    // the bytes are written once, to the logs. Should the process die before the commit, the appends are cut off again
    // (Complete) and the runs, never committed, run again.
    private void WriteFiles(IReadOnlyDictionary<string, Dictionary<string, long>> marks, List<LogAppend> journal)
    {
        var starts = new List<LogAppend>(journal.Count);
        foreach (var append in journal)
        {
            starts.Add(append with { Chunks = [] });
        }

        _state.JournalAppends(starts);
        _undelivered = true;
        try
        {
            Deliver(files: true);
            foreach (var append in journal)
            {
                using var file = new FileStream(append.Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                file.Flush(flushToDisk: true);
            }
        }
        catch (IOException)
        {
            // The logs cannot be written: the runs are committed with their lines journaled, which are written before
            // any later run's (what was appended is checked against them then).
            CommitRuns(marks, journal);
            Deliver(files: false);
            throw;
        }
    }

    private void TryCutOff()
    {
        try
        {
            Complete(_state, _status, "as the database could not be written");
            _undelivered = false;
        }
        catch (Exception e) when (e is IOException or SqliteException)
        {
            // Still journaled: cut off before the next run is written.
        }
    }

    private void CommitRuns(IReadOnlyDictionary<string, Dictionary<string, long>> marks, IReadOnlyList<LogAppend> journal) =>
        _state.Commit(marks, journal, _remote is null ? null : transaction =>
        {
            // osquery's TLS logger sends snapshot lines as results too.
            _remote.Insert(transaction, TlsLogType.Result, _results);
            _remote.Insert(transaction, TlsLogType.Result, _snapshots);
        });

    // The file sinks get a run's lines before it is committed, the others (stdout, syslog) after: at most once.
    private void Deliver(bool files)
    {
        foreach (var sink in _sinks)
        {
            if (sink is FilesystemResultSink == files)
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
    }

    /// <summary>Forgets the lines of the runs since the last commit.</summary>
    public void Discard()
    {
        _results.Clear();
        _snapshots.Clear();
        _state.Discard();
    }

    /// <summary>
    /// Resolves the journal left by a process that died: cuts off the appends of runs never committed and completes those
    /// of runs committed with their lines; returns how many had to be written again. When it throws (the logs or the
    /// database cannot be written), the next <see cref="Commit"/> resolves it first.
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
            UndoRotations(append, status, when);
            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.ReadWrite | FileShare.Delete };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = LogMode;
            }

            using var file = new FileStream(append.Path, options);
            if (append.Length == 0)
            {
                CutOff(file, append, status, when);
                continue;
            }

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

    // A rotation in the middle of the append renamed the file it started in (found again by its inode) and began the
    // files after it with the append's lines only. Those go and the older files take their names back, so the append is
    // cut off or completed in its own file, where it would otherwise be logged again after the lines it left behind.
    private static void UndoRotations(LogAppend append, IStatusLog status, string when)
    {
        if (append.Inode == 0 || LogAppend.InodeOf(append.Path) == append.Inode)
        {
            return;
        }

        var newer = LogRotation.Find(append.Path, file => LogAppend.InodeOf(file) == append.Inode);
        if (newer == 0)
        {
            // Renamed or removed by someone else, or rotated out of the kept files: the append is resolved by path alone.
            return;
        }

        LogRotation.Undo(append.Path, newer);
        var what = append.Length == 0 ? "results whose runs were not committed" : "results journaled";
        status.Warning($"Undid {newer} rotation{(newer == 1 ? "" : "s")} of {append.Path} made while appending {what} {when}");
    }

    // An append journaled without its bytes belongs to runs never committed: whatever follows its start goes.
    private static void CutOff(FileStream file, LogAppend append, IStatusLog status, string when)
    {
        if (file.Length <= append.Offset)
        {
            return;
        }

        status.Warning($"Cut {file.Length - append.Offset} bytes of results off the end of {append.Path}: their runs were not committed {when}, and run again");
        file.SetLength(append.Offset);
        file.Flush(flushToDisk: true);
    }

    private static void Journal(List<LogAppend> journal, string path, Utf8Lines lines)
    {
        if (lines.Count > 0)
        {
            journal.Add(LogAppend.To(path, [.. lines.Chunks]));
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
