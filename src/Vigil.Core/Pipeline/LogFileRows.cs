using System.Collections.Concurrent;
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
    /// One pass, in two threads: a producer reads, parses and reassembles the files and builds rows into batches, while
    /// the caller (SQLite's cursor) takes them; on two cores parsing and row building then overlap with SQL and output.
    /// A bounded number of batches is in flight, so memory stays at a few batches of rows whatever the files hold.
    /// </summary>
    private sealed class Reader : IEventRowReader
    {
        private const int BatchRows = 512;
        private const int BatchesInFlight = 4;

        private readonly LogFileRows _owner;
        private readonly BlockingCollection<Batch> _full = new(BatchesInFlight);
        private readonly ConcurrentQueue<Batch> _free = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Pass _pass;
        private readonly Thread _producer;
        private Batch? _batch;
        private int _current;
        private ExceptionDispatchInfo? _failure;
        private bool _disposed;

        public Reader(LogFileRows owner, IEventTable table)
        {
            _owner = owner;
            _pass = new Pass(owner._paths, table, HandOff);
            _producer = new Thread(Produce) { IsBackground = true, Name = "vigil-log-rows" };
            _producer.Start();
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
                    _free.Enqueue(_batch);
                    _batch = null;
                }

                if (!_full.TryTake(out _batch, Timeout.Infinite))
                {
                    _failure?.Throw();
                    if (_pass.Lines.Count == _owner._paths.Count)
                    {
                        _owner.ReportPass(_pass.Lines, _pass.Counters);
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
            _producer.Join();
            _full.Dispose();
            _stop.Dispose();
        }

        private void Produce()
        {
            try
            {
                _pass.Run(_stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                _failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                _full.CompleteAdding();
            }
        }

        // Passes a filled batch (none at the start) to the cursor and gives the producer an empty one.
        private Batch HandOff(Batch? filled)
        {
            if (filled is not null)
            {
                _full.Add(filled, _stop.Token);
            }

            return _free.TryDequeue(out var free) ? free : new Batch(BatchRows, _pass.Columns);
        }
    }

    /// <summary>Rows built by the producer, handed to the cursor together.</summary>
    private sealed class Batch(int rows, int columns)
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

    /// <summary>The producer's side: the files replayed in order into the table's rows, copied into batches.</summary>
    private sealed class Pass(IReadOnlyList<string> paths, IEventTable table, Func<Batch?, Batch> handOff) : IRowSink
    {
        public IngestCounters Counters { get; } = new();

        public List<long> Lines { get; } = [];

        private Batch? _batch;

        public int Columns => table.Spec.Columns.Count;

        public void Run(CancellationToken stop)
        {
            var replay = Replay.ToRows([table], this, Counters);
            _batch = handOff(null);
            replay.ReadLogFiles(paths, AfterFile, stop);
        }

        public void Write(TableSpec spec, ReadOnlySpan<ColumnValue> row)
        {
            var batch = _batch!;
            row.CopyTo(batch.Rows[batch.Count]);
            if (++batch.Count == batch.Rows.Length)
            {
                _batch = handOff(batch);
            }
        }

        // A file's rows go out before the next file is opened, which may fail.
        private void AfterFile(string path, long lines)
        {
            Lines.Add(lines);
            if (_batch!.Count > 0)
            {
                _batch = handOff(_batch);
            }
        }
    }
}
