using System.Diagnostics;
using Vigil.Bpf;
using Vigil.Rules;
using Vigil.Sources;
using Vigil.Tables;

namespace Vigil.Pipeline;

/// <summary>
/// Live collection from BPF: loads and attaches the programs, reads the ring buffer on a thread of its own, builds
/// the rows of the tables BPF feeds and queues them for the store. It never touches the audit subsystem, so it runs
/// beside auditd or Vigil's own audit collection. Dispose stops reading, stores what was read, then detaches and
/// unloads everything; what a killed process leaves, the kernel frees with its descriptors.
/// </summary>
public sealed class BpfCollector : IDisposable, IBpfRecordSink, IBpfCounterSource
{
    private readonly BpfPrograms _programs;
    private readonly BpfRingReader _reader;
    private readonly StoreQueue _queue;
    private readonly IBpfEventTable[] _tables;
    private readonly ColumnValue[][] _rows;
    private readonly CommandLineRedaction?[] _redactions;
    private readonly BpfClock _clock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _rowsBuilt;
    private int _disposed;

    private BpfCollector(BpfPrograms programs, StoreQueue queue, BpfCollectorOptions options)
    {
        _programs = programs;
        _queue = queue;
        _tables = [.. options.Tables()];
        _rows = new ColumnValue[_tables.Length][];
        _redactions = new CommandLineRedaction?[_tables.Length];
        for (var i = 0; i < _tables.Length; i++)
        {
            _rows[i] = new ColumnValue[_tables[i].Spec.Columns.Count];
            _redactions[i] = options.Redaction is null ? null : CommandLineRedaction.For(_tables[i].Spec, options.Redaction);
        }

        _reader = new BpfRingReader(programs.EventsFd, this, BpfRingReader.DefaultGather);
        _thread = new Thread(Read) { IsBackground = true, Name = "vigil-bpf" };
    }

    /// <summary>The reading thread's loop: the exceptions it survived.</summary>
    public ReaderLoop Reader { get; } = new();

    /// <summary>The queue into the store: what it stored, dropped and holds, and why the store fails while it does.</summary>
    public StoreQueue Store => _queue;

    /// <summary>Programs attached.</summary>
    public int Links => _programs.Links;

    /// <summary>
    /// Loads the programs and starts reading; rows go into the store at <paramref name="databasePath"/>. Throws
    /// <see cref="BpfException"/> (one line: no BTF, no permission, no libbpf) having left nothing in the kernel.
    /// </summary>
    public static BpfCollector Start(BpfCollectorOptions options, string databasePath)
    {
        var programs = BpfPrograms.Load(options.LoadOptions());
        StoreQueue? queue = null;
        try
        {
            queue = new StoreQueue(databasePath, IngestOptions.EventTableSpecs, options.Store);
            var collector = new BpfCollector(programs, queue, options);
            collector._thread.Start();
            return collector;
        }
        catch
        {
            queue?.Dispose();
            programs.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public BpfCounterValues ReadCounters() => new(
        _reader.Records,
        _reader.Malformed,
        Interlocked.Read(ref _rowsBuilt),
        _programs.ReadCounters(),
        _queue.Depth,
        _queue.Committed,
        RowsDropped,
        _programs.Links,
        Stopwatch.GetElapsedTime(_started).TotalSeconds);

    /// <summary>
    /// Replaces the exclusions applied in the kernel (a config reload), exe wildcards expanded again now. Throws
    /// <see cref="BpfException"/> when the kernel refuses the entries; the running ones then stay.
    /// </summary>
    public int ReplaceExclusions(IReadOnlyList<AuditExclusion> exclusions)
    {
        var entries = BpfExclusions.Build(exclusions);
        _programs.ReplaceExclusions(entries);
        return entries.Count;
    }

    /// <summary>
    /// Watches the directories of <paramref name="patterns"/> in the kernel, then reports their paths (a config
    /// reload), so no row of the new paths is missed. Throws <see cref="BpfException"/>; the running ones then stay.
    /// </summary>
    public void ReplaceFilePatterns(FilePatterns patterns, ProcessFileEventsOptions files)
    {
        _programs.ReplaceWatched(patterns.Roots);
        files.Patterns = patterns;
    }

    /// <summary>Drops the rows queued for the store and not yet written; returns how many.</summary>
    public int ShedQueuedRows() => _queue.Shed();

    /// <summary>Rows committed to the store.</summary>
    public long RowsStored => _queue.Committed;

    /// <summary>Rows dropped on the way to the store (queue full, memory limit, store errors, unstored at stop).</summary>
    public long RowsDropped => _queue.Dropped;

    /// <inheritdoc/>
    public void OnRecord(in BpfRecord record)
    {
        for (var i = 0; i < _tables.Length; i++)
        {
            var row = _rows[i];
            if (!_tables[i].TryBuildRow(in record, _clock, row))
            {
                continue;
            }

            _redactions[i]?.Apply(row);
            _rowsBuilt++;
            _queue.Write(_tables[i].Spec, row);
        }
    }

    /// <summary>Stops reading, commits what was read, then detaches and unloads the programs.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            _stop.Cancel();
            if (_thread.IsAlive)
            {
                _thread.Join();
            }

            _queue.Dispose();
        }
        finally
        {
            _reader.Dispose();
            _programs.Dispose();
            _stop.Dispose();
        }
    }

    private void Read() => Reader.Run(_stop.Token, () => _reader.Run(_stop.Token, _clock.Refresh));
}
