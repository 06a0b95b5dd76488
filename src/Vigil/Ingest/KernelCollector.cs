using System.Diagnostics;
using Vigil.Events;
using Vigil.Netlink;
using Vigil.Sources;
using Vigil.Tables;

namespace Vigil.Ingest;

/// <summary>
/// Live collection: configures the kernel, reads records on a thread of its own, reassembles them, builds rows and
/// queues them for the store. Dispose stops reading, stores what was read and restores the kernel state found at start.
/// </summary>
public sealed class KernelCollector : IDisposable, IAuditCounterSource
{
    private readonly KernelAuditSession _session;
    private readonly StoreQueue _queue;
    private readonly Reassembler _reassembler;
    private readonly KernelSource _source;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private readonly long _started = Stopwatch.GetTimestamp();
    private Exception? _failure;
    private int _disposed;
    private int _retake;
    private long _pidRetakes;
    private string? _retakeError;

    private KernelCollector(KernelAuditSession session, StoreQueue queue, IngestOptions options, TextWriter? debug)
    {
        _session = session;
        _queue = queue;
        _reassembler = new Reassembler(new TableRouter(options.KernelTables(), queue, Counters), Counters);
        IRecordSink sink = debug is null ? _reassembler : new RecordPrinter(_reassembler, debug, options.Redaction is not null);
        _source = new KernelSource(session.Reader, sink, options.Kernel.MaxReceiveBufferBytes);
        _thread = new Thread(Read) { IsBackground = true, Name = "vigil-kernel" };
    }

    /// <summary>Reassembly and routing counters; written by the reader thread, read anywhere.</summary>
    public IngestCounters Counters { get; } = new();

    /// <summary>The kernel session: what was found at start and what Vigil changed.</summary>
    public KernelAuditSession Session => _session;

    /// <summary>The netlink source's counters (records, malformed, overflows).</summary>
    public KernelSource Source => _source;

    /// <summary>Rows committed to the store.</summary>
    public long RowsStored => _queue.Committed;

    /// <summary>Times the reader registered itself again as the unicast receiver after <see cref="RequestPidRetake"/>.</summary>
    public long PidRetakes => Interlocked.Read(ref _pidRetakes);

    /// <summary>Why the last retake failed, or null.</summary>
    public string? RetakeError => Volatile.Read(ref _retakeError);

    /// <summary>
    /// Asks the reader thread to send AUDIT_SET pid from the reading socket (the kernel delivers to the sender's port),
    /// within about 200 ms; it runs there so the reply is not read as a record by another thread.
    /// </summary>
    public void RequestPidRetake() => Interlocked.Exchange(ref _retake, 1);

    /// <summary>Rows the store refused (disk full, I/O error) and that were dropped.</summary>
    public long RowsDropped => _queue.Dropped;

    /// <summary>Drops the rows queued for the store and not yet written; returns how many (see <see cref="StoreQueue.Shed"/>).</summary>
    public int ShedQueuedRows() => _queue.Shed();

    /// <summary>Rows queued and not yet committed to the store.</summary>
    public int StoreQueueDepth => _queue.Depth;

    /// <summary>The reader thread's failure, if it stopped on one.</summary>
    public Exception? Failure => _failure;

    /// <summary>
    /// Starts the kernel session and the reader; rows go into the store at <paramref name="databasePath"/>. Dispose
    /// restores <paramref name="restoreTo"/> when given, else the state found at start. <paramref name="storeError"/>
    /// hears store write errors, at most once a minute (see <see cref="StoreQueue"/>).
    /// </summary>
    public static KernelCollector Start(
        IngestOptions options, string databasePath, TextWriter? debug = null, AuditState? restoreTo = null, Action<string>? storeError = null)
    {
        var session = KernelAuditSession.Start(options.Kernel, restoreTo);
        StoreQueue? queue = null;
        try
        {
            queue = new StoreQueue(databasePath, IngestOptions.EventTableSpecs, storeError);
            var collector = new KernelCollector(session, queue, options, debug);
            collector._thread.Start();
            return collector;
        }
        catch
        {
            queue?.Dispose();
            session.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public AuditCounterValues ReadCounters() => new(
        Source.Records,
        Interlocked.Read(ref Counters.EventsBuilt),
        Interlocked.Read(ref Counters.MalformedRecords),
        Interlocked.Read(ref Counters.SequenceGaps),
        Interlocked.Read(ref Counters.EventsEvicted),
        Interlocked.Read(ref Counters.EventsDropped) + _queue.ShedRows,
        _source.Overflows,
        _source.Drops,
        _source.ReceiveBufferBytes,
        SocketTakeovers: PidRetakes,
        StoreQueueDepth,
        RowsStored,
        Stopwatch.GetElapsedTime(_started).TotalSeconds);

    /// <summary>Stops reading, emits what is in flight, commits it, then restores the kernel state.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            _stop.Cancel();
            _thread.Join();
            _reassembler.Flush();
            _queue.Dispose();
        }
        finally
        {
            _session.Dispose();
            _stop.Dispose();
        }
    }

    private void Read()
    {
        try
        {
            _source.Run(_stop.Token, Tick);
        }
        catch (Exception e)
        {
            _failure = e;
        }
    }

    private void Tick()
    {
        _reassembler.FlushExpired();
        if (Interlocked.Exchange(ref _retake, 0) == 1)
        {
            try
            {
                _session.Reader.SetPid((uint)Environment.ProcessId);
                Volatile.Write(ref _retakeError, null);
                Interlocked.Increment(ref _pidRetakes);
            }
            catch (AuditNetlinkException e)
            {
                Volatile.Write(ref _retakeError, e.Message);
            }
        }
    }
}
