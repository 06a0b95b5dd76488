using System.Diagnostics;
using Vigil.Events;
using Vigil.Kernel;
using Vigil.Netlink;
using Vigil.Records;
using Vigil.Sources;
using Vigil.Tables;

namespace Vigil.Pipeline;

/// <summary>
/// Live collection: configures the kernel, reads records on a thread of its own, reassembles them, builds rows and
/// queues them for the store. Dispose stops reading, stores what was read and restores the kernel state found at start.
/// </summary>
public sealed class KernelCollector : IDisposable, IAuditCounterSource
{
    private readonly KernelAuditSession _session;
    private readonly StoreQueue _queue;
    private readonly Replay _replay;
    private readonly KernelSource _source;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private readonly long _started = Stopwatch.GetTimestamp();
    private int _disposed;
    private int _retake;
    private long _handoverDeadline;
    private long _pidRetakes;
    private string? _retakeError;

    private KernelCollector(KernelAuditSession session, StoreQueue queue, IngestOptions options, TextWriter? debug)
    {
        _session = session;
        _queue = queue;
        _replay = Replay.ToRows(options.KernelTables(), queue);
        IRecordSink sink = debug is null ? _replay : new RecordPrinter(_replay, debug, options.Redaction is not null);
        _source = new KernelSource(session.Reader, sink, options.Kernel.MaxReceiveBufferBytes);
        _thread = new Thread(Read) { IsBackground = true, Name = "vigil-kernel" };
    }

    /// <summary>Reassembly and routing counters; written by the reader thread, read anywhere.</summary>
    public IngestCounters Counters => _replay.Counters;

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

    /// <summary>The queue into the store: what it stored, dropped and holds, and why the store fails while it does.</summary>
    public StoreQueue Store => _queue;

    /// <summary>Drops the rows queued for the store and not yet written; returns how many (see <see cref="StoreQueue.Shed"/>).</summary>
    public int ShedQueuedRows() => _queue.Shed();

    /// <summary>The reading thread's loop: the exceptions it survived.</summary>
    public ReaderLoop Reader { get; } = new();

    /// <summary>
    /// Starts the kernel session and the reader; rows go into the store at <paramref name="databasePath"/> through a
    /// <see cref="StoreQueue"/> with <see cref="IngestOptions.Store"/>. Dispose restores <paramref name="restoreTo"/>
    /// when given, else the state found at start.
    /// </summary>
    /// <remarks>With <paramref name="handover"/> the session an earlier image of this process handed over is resumed
    /// (<see cref="KernelAuditSession.Resume"/>) instead; <paramref name="restoreTo"/> is then required.</remarks>
    public static KernelCollector Start(
        IngestOptions options, string databasePath, TextWriter? debug = null, AuditState? restoreTo = null, KernelHandover? handover = null)
    {
        var session = handover is null
            ? KernelAuditSession.Start(options.Kernel, restoreTo)
            : KernelAuditSession.Resume(options.Kernel, restoreTo ?? throw new ArgumentNullException(nameof(restoreTo)), handover);
        StoreQueue? queue = null;
        try
        {
            queue = new StoreQueue(databasePath, IngestOptions.EventTableSpecs, options.Store);
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
        _source.Overflows,
        _source.Drops,
        _source.ReceiveBufferBytes,
        SocketTakeovers: PidRetakes,
        _queue.Depth,
        RowsStored,
        Stopwatch.GetElapsedTime(_started).TotalSeconds)
    {
        UnknownArchEvents = Interlocked.Read(ref Counters.UnknownArchEvents),
        UnknownSyscallEvents = Interlocked.Read(ref Counters.UnknownSyscallEvents),
        DroppedQueueFull = _queue.DroppedQueueFull,
        DroppedMemoryLimit = _queue.ShedRows,
        DroppedStoreError = _queue.DroppedStoreError,
        ExpiredForSpace = _queue.ExpiredForSpace,
        StoreError = _queue.Error ?? "",
    };

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
            _replay.Flush();
            _queue.Dispose();
        }
        finally
        {
            _session.Dispose();
            _stop.Dispose();
        }
    }

    /// <summary>
    /// Stops reading between two events (none in flight, waiting at most <paramref name="boundaryWait"/> for that),
    /// commits what was read, and passes the kernel session on instead of restoring it (see
    /// <see cref="KernelAuditSession.HandOver"/>): the records the kernel sends from then on wait in the socket for
    /// the next image, which reads each one once, with no event split between the two.
    /// </summary>
    public KernelHandover HandOver(TimeSpan boundaryWait)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            throw new ObjectDisposedException(nameof(KernelCollector));
        }

        try
        {
            Volatile.Write(ref _handoverDeadline, Environment.TickCount64 + (long)boundaryWait.TotalMilliseconds);
            if (!_thread.Join(boundaryWait + TimeSpan.FromSeconds(1)))
            {
                _stop.Cancel();
                _thread.Join();
            }

            _replay.Flush();
            _queue.Dispose();
            return _session.HandOver();
        }
        finally
        {
            _session.Dispose();
            _stop.Dispose();
        }
    }

    private void Read() => Reader.Run(_stop.Token, () => _source.Run(_stop.Token, Tick));

    private void Tick()
    {
        _replay.FlushExpired();
        if (Volatile.Read(ref _handoverDeadline) is var deadline and not 0
            && (_replay.InFlightCount == 0 || Environment.TickCount64 >= deadline))
        {
            _stop.Cancel();
            return;
        }

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
