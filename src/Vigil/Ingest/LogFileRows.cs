using Vigil.Events;
using Vigil.Sources;
using Vigil.Sql;
using Vigil.Store;
using Vigil.Tables;

namespace Vigil.Ingest;

/// <summary>
/// The event tables of auditd log files, read afresh by every scan: the shell answers from the files without
/// loading them into its store first. Each scan builds rows for its own table only, with the same reassembly (one
/// reassembler over the files in order, flushed at the end of each) as <see cref="LogFileLoader"/>.
/// </summary>
public sealed class LogFileRows : IEventRowSource
{
    private readonly IReadOnlyList<string> _paths;
    private readonly Func<IReadOnlyList<IEventTable>> _tables;
    private readonly Action<IReadOnlyList<long>, IngestCounters>? _firstPass;
    private bool _passReported;

    /// <summary>
    /// Rows of <paramref name="paths"/> built by a fresh instance of <paramref name="tables"/> per scan; the first
    /// scan to read every file tells <paramref name="firstPass"/> the lines of each file and what it counted.
    /// Throws with the path when a file is missing or unreadable.
    /// </summary>
    public LogFileRows(
        IReadOnlyList<string> paths,
        Func<IReadOnlyList<IEventTable>> tables,
        Action<IReadOnlyList<long>, IngestCounters>? firstPass = null)
    {
        foreach (var path in paths)
        {
            new LogFileSource(path).OpenStream().Dispose();
        }

        _paths = [.. paths];
        _tables = tables;
        _firstPass = firstPass;
    }

    /// <inheritdoc/>
    public IEventRowReader Open(TableSpec table) => new Reader(this, Builder(table));

    /// <inheritdoc/>
    public void Load(TableSpec table, StoreWriter writer)
    {
        var lines = new List<long>(_paths.Count);
        var counters = LogFileLoader.Load(_paths, [Builder(table)], writer, (_, count) => lines.Add(count));
        ReportPass(lines, counters);
    }

    private IEventTable Builder(TableSpec table)
    {
        foreach (var builder in _tables())
        {
            if (builder.Spec.Name == table.Name)
            {
                return builder;
            }
        }

        throw new ArgumentException($"{table.Name} is not built from log files.", nameof(table));
    }

    private void ReportPass(IReadOnlyList<long> lines, IngestCounters counters)
    {
        if (!_passReported)
        {
            _passReported = true;
            _firstPass?.Invoke(lines, counters);
        }
    }

    /// <summary>
    /// One pass: reads a buffer of the current file whenever the rows it built are used up, so it holds one buffer
    /// and the rows of the events that buffer completed.
    /// </summary>
    private sealed class Reader : IEventRowReader, IAuditEventSink
    {
        private readonly LogFileRows _owner;
        private readonly IEventTable _table;
        private readonly IngestCounters _counters = new();
        private readonly Reassembler _reassembler;
        private readonly List<ColumnValue[]> _rows = [];
        private readonly List<long> _lines = [];
        private int _count;
        private int _current = -1;
        private int _file;
        private FileStream? _stream;
        private LogFileReader? _reader;

        public Reader(LogFileRows owner, IEventTable table)
        {
            _owner = owner;
            _table = table;
            _reassembler = new Reassembler(this, _counters);
        }

        public ReadOnlySpan<ColumnValue> Current => _rows[_current];

        public long Eid { get; private set; }

        public bool MoveNext()
        {
            _current++;
            while (_current >= _count)
            {
                _current = 0;
                _count = 0;
                if (!ReadMore())
                {
                    _current = -1;
                    return false;
                }
            }

            Eid++;
            return true;
        }

        public void OnEvent(AuditEvent auditEvent)
        {
            if (_count == _rows.Count)
            {
                _rows.Add(new ColumnValue[_table.Spec.Columns.Count]);
            }

            if (_table.TryBuildRow(auditEvent, _rows[_count]))
            {
                _count++;
            }
        }

        public void Dispose() => CloseFile();

        /// <summary>Reads one more buffer (or ends a file and moves to the next); false when every file has been read.</summary>
        private bool ReadMore()
        {
            if (_reader is null)
            {
                if (_file == _owner._paths.Count)
                {
                    return false;
                }

                _stream = new LogFileSource(_owner._paths[_file]).OpenStream();
                _reader = new LogFileReader(_stream, _reassembler);
            }

            if (!_reader.ReadChunk())
            {
                _reassembler.Flush();
                _lines.Add(_reader.Lines);
                CloseFile();
                if (++_file == _owner._paths.Count)
                {
                    _owner.ReportPass(_lines, _counters);
                }
            }

            return true;
        }

        private void CloseFile()
        {
            _reader?.Dispose();
            _reader = null;
            _stream?.Dispose();
            _stream = null;
        }
    }
}
