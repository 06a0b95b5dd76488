using System.Runtime.ExceptionServices;
using Vigil.Events;
using Vigil.Sources;
using Vigil.Store;
using Vigil.Tables;

namespace Vigil.Pipeline;

/// <summary>
/// The event tables of auditd log files, read afresh by every scan: the shell answers from the files without
/// loading them into its store first. Each scan builds rows for its own table only, through the same
/// <see cref="Replay"/> and <see cref="TableRouter"/> as <see cref="LogFileLoader"/>.
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
    /// One pass, in three threads: one reads, parses and reassembles the files into batches of events, one builds the
    /// table's rows from them into batches of rows, and the caller (SQLite's cursor) takes those. On two cores the
    /// three stages share both (reading and building each cost about as much as SQL and output), where a reader that
    /// also built the rows kept the cursor waiting. A bounded number of batches is in flight between stages, so
    /// memory stays at a few batches whatever the files hold.
    /// </summary>
    private sealed class Reader : IEventRowReader
    {
        // Every event of a batch holds a buffer of its own (4 KB), and all the batches in flight are live through each
        // collection, which had cost a tenth of the pass's instructions with 128 events and 512 rows; but each batch
        // handed over wakes the other thread, which instruction counts do not show: 32 events and 128 rows took 4-8%
        // more wall time than these in four rounds of alternating runs (bench/RESULTS.md).
        private const int BatchEvents = 64;
        private const int BatchRows = 256;
        private const int BatchesInFlight = 4;

        private readonly LogFileRows _owner;
        private readonly IngestCounters _counters = new();
        private readonly List<long> _lines = [];
        private readonly BatchPipe<EventBatch> _events = new(BatchesInFlight, () => new EventBatch(BatchEvents));
        private readonly BatchPipe<RowBatch> _rows;
        private readonly CancellationTokenSource _stop = new();
        private readonly Thread _reader;
        private readonly Thread _builder;
        private RowBatch? _batch;
        private int _current;
        private ExceptionDispatchInfo? _failure;
        private bool _disposed;

        public Reader(LogFileRows owner, IEventTable table)
        {
            _owner = owner;
            var columns = table.Spec.Columns.Count;
            _rows = new(BatchesInFlight, () => new RowBatch(BatchRows, columns));
            var events = new EventStage(_events, _counters, _stop.Token);
            var rows = new RowStage(_rows, table, _counters, _lines, _stop.Token);
            _reader = Start("vigil-log-events", () => events.Run(owner._paths), _events.Complete);
            _builder = Start("vigil-log-rows", () => rows.Run(_events), _rows.Complete);
        }

        public ReadOnlySpan<ColumnValue> Current => _batch!.Rows[_current];

        public long Eid { get; private set; }

        public bool MoveNext()
        {
            _current++;
            while (_batch is null || _current >= _batch.Count)
            {
                if (_batch is not null)
                {
                    _batch.Count = 0;
                    _rows.Return(_batch);
                    _batch = null;
                }

                if (!_rows.TryReceive(out _batch, CancellationToken.None))
                {
                    Volatile.Read(ref _failure)?.Throw();
                    if (_lines.Count == _owner._paths.Count)
                    {
                        _owner.ReportPass(_lines, _counters);
                    }

                    return false;
                }

                _current = 0;
            }

            Eid++;
            return true;
        }

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _stop.Cancel();
            _reader.Join();
            _builder.Join();
            _stop.Dispose();
        }

        // A stage's failure is kept for the cursor (the first one: a later stage may fail only because of it), and
        // its end, whatever it was, completes what it sends, so the next stage ends too.
        private Thread Start(string name, Action run, Action complete)
        {
            var thread = new Thread(() =>
            {
                try
                {
                    run();
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
                }
                finally
                {
                    complete();
                }
            })
            { IsBackground = true, Name = name };
            thread.Start();
            return thread;
        }
    }

    /// <summary>Events taken from the reassembler (which reuses the ones of the batch before), handed to the row stage together.</summary>
    private sealed class EventBatch(int events)
    {
        public AuditEvent[] Events { get; } = NewEvents(events);

        public int Count { get; set; }

        /// <summary>The lines of the file these events end, when they end one (its rows go out with them).</summary>
        public long? FileLines { get; set; }

        private static AuditEvent[] NewEvents(int count)
        {
            var all = new AuditEvent[count];
            for (var i = 0; i < count; i++)
            {
                all[i] = new AuditEvent();
            }

            return all;
        }
    }

    /// <summary>Rows built by the row stage, handed to the cursor together.</summary>
    private sealed class RowBatch(int rows, int columns)
    {
        public ColumnValue[][] Rows { get; } = NewRows(rows, columns);

        public int Count { get; set; }

        private static ColumnValue[][] NewRows(int rows, int columns)
        {
            var all = new ColumnValue[rows][];
            for (var i = 0; i < rows; i++)
            {
                all[i] = new ColumnValue[columns];
            }

            return all;
        }
    }

    /// <summary>The first stage: the files replayed in order into events, put into batches.</summary>
    private sealed class EventStage(BatchPipe<EventBatch> output, IngestCounters counters, CancellationToken stop) : IAuditEventSink
    {
        private EventBatch _batch = output.Send(null, stop);

        public void Run(IReadOnlyList<string> paths) => new Replay(this, counters).ReadLogFiles(paths, AfterFile, stop);

        // The reassembler always hands its events over with Take.
        public void OnEvent(AuditEvent auditEvent) => throw new NotSupportedException();

        public AuditEvent Take(AuditEvent auditEvent)
        {
            var spare = _batch.Events[_batch.Count];
            _batch.Events[_batch.Count] = auditEvent;
            if (++_batch.Count == _batch.Events.Length)
            {
                _batch = output.Send(_batch, stop);
            }

            return spare;
        }

        // A file's rows go out before the next file is opened, which may fail.
        private void AfterFile(string path, long lines)
        {
            _batch.FileLines = lines;
            _batch = output.Send(_batch, stop);
        }
    }

    /// <summary>The second stage: each batch's events through the table's router, its rows copied into batches.</summary>
    private sealed class RowStage(BatchPipe<RowBatch> output, IEventTable table, IngestCounters counters, List<long> lines, CancellationToken stop) : IRowSink
    {
        private RowBatch _batch = output.Send(null, stop);

        public void Run(BatchPipe<EventBatch> input)
        {
            var router = new TableRouter([table], this, counters);
            while (input.TryReceive(out var events, stop))
            {
                for (var i = 0; i < events.Count; i++)
                {
                    router.OnEvent(events.Events[i]);
                }

                if (events.FileLines is { } fileLines)
                {
                    lines.Add(fileLines);
                    if (_batch.Count > 0)
                    {
                        _batch = output.Send(_batch, stop);
                    }
                }

                events.Count = 0;
                events.FileLines = null;
                input.Return(events);
            }
        }

        public void Write(TableSpec spec, ReadOnlySpan<ColumnValue> row)
        {
            row.CopyTo(_batch.Rows[_batch.Count]);
            if (++_batch.Count == _batch.Rows.Length)
            {
                _batch = output.Send(_batch, stop);
            }
        }
    }
}
