using Vigil.KernelAbi;
using Vigil.Records;

namespace Vigil.Events;

/// <summary>
/// Groups records of one serial (per node) into events and hands complete events to an <see cref="IAuditEventSink"/>.
/// </summary>
/// <remarks>
/// <para>An event is complete when:</para>
/// <list type="bullet">
/// <item>EOE (1320) arrives for it (netlink; the EOE record itself is not kept);</item>
/// <item>it is a standalone type (<see cref="RecordType.IsStandalone"/>: USER 1005, 1100–1299, 2000, 2100–2999,
/// and a BSM trail's records), emitted at once as a one-record event;</item>
/// <item>its PROCTITLE has been seen (the kernel writes it last) and a record of another serial arrives: auditd's
/// log files carry no EOE, and a record of another serial proves this one's writer moved on. A user-space
/// record of a newer serial does not close an event still missing its PROCTITLE, since user and kernel
/// records interleave;</item>
/// <item>it is older than the timeout, measured against the newest record time of its node (deterministic log
/// replay) or, through <see cref="FlushExpired"/>, on the injected <see cref="TimeProvider"/> (idle live
/// streams). Events without a SYSCALL (a CONFIG_CHANGE or AVC outside a syscall) complete this way;</item>
/// <item>more than <c>maxInFlight</c> events are open: the oldest is emitted as it is, counted in EventsEvicted;</item>
/// <item><see cref="Flush"/> is called (end of a log file, shutdown).</item>
/// </list>
/// <para>LOGIN (1006) is written by the kernel in the syscall that sets the loginuid, with that syscall's serial,
/// so it joins the syscall's event. AUDIT_REPLACE (1329) is a liveness probe and is ignored. A record for an
/// event already emitted is dropped and counted in LateRecords (an EOE silently). Event instances are pooled:
/// a sink copies what it keeps.</para>
/// </remarks>
public sealed class Reassembler : IRecordSink
{
    /// <summary>
    /// Open events at most: the kernel's own default backlog is 64 records, so thousands of open events only
    /// happen when records are lost; each holds a 4 KiB buffer, so the bound keeps that case near 16 MiB.
    /// </summary>
    public const int DefaultMaxInFlight = 4096;

    /// <summary>An event still incomplete after this long is emitted as it is.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Distinct node names tracked for serial accounting; beyond it nodes share one window.</summary>
    private const int MaxNodes = 1024;

    /// <summary>Recycled events kept at most, and the largest body buffer worth keeping.</summary>
    private const int PoolLimit = 64;
    private const int PooledBytesLimit = 1 << 20;

    private readonly IAuditEventSink _sink;
    private readonly IngestCounters _counters;
    private readonly TimeProvider _time;
    private readonly int _maxInFlight;
    private readonly long _timeoutMilliseconds;
    private readonly TimeSpan _timeout;
    private readonly Dictionary<EventKey, Slot> _inFlight = new();
    private readonly Stack<Slot> _pool = new();
    private readonly List<NodeState> _nodes = [new NodeState([])];
    private AuditEvent _standalone = new();
    private Slot? _oldest;
    private Slot? _newest;
    private int _settled;

    /// <summary>A reassembler delivering to <paramref name="sink"/> and counting into <paramref name="counters"/>.</summary>
    public Reassembler(
        IAuditEventSink sink,
        IngestCounters counters,
        TimeProvider? timeProvider = null,
        int maxInFlight = DefaultMaxInFlight,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInFlight, 1);
        _sink = sink;
        _counters = counters;
        _time = timeProvider ?? TimeProvider.System;
        _maxInFlight = maxInFlight;
        _timeout = timeout ?? DefaultTimeout;
        _timeoutMilliseconds = (long)_timeout.TotalMilliseconds;
    }

    /// <summary>Events started and not yet emitted.</summary>
    public int InFlightCount => _inFlight.Count;

    /// <inheritdoc/>
    public void OnRecord(in AuditRecord record)
    {
        _counters.RecordsReceived++;
        if (record.Type == RecordType.Replace)
        {
            return;
        }

        var nodeId = NodeIdOf(record.Node);
        var node = _nodes[nodeId];
        var time = (record.Seconds * 1000) + record.Milliseconds;
        if (time > node.LatestMilliseconds)
        {
            node.LatestMilliseconds = time;
            ExpireByEventTime(nodeId, time - _timeoutMilliseconds);
        }

        var key = new EventKey(nodeId, record.Serial);
        if (record.Type == RecordType.Eoe)
        {
            if (_inFlight.TryGetValue(key, out var ended))
            {
                Complete(ended);
            }

            return;
        }

        if (RecordType.IsStandalone(record.Type))
        {
            if (!RecordType.HasOwnSerial(record.Type))
            {
                _counters.SequenceGaps += node.Serials.Observe(record.Serial, time);
            }

            CloseSettled(key);
            _standalone.Reset(record);
            _counters.EventsBuilt++;
            _standalone = _sink.Take(_standalone);
            return;
        }

        if (Find(key) is { } open)
        {
            open.Event.Append(record);
            MarkIfSettled(open, record.Type);
            return;
        }

        if (node.Serials.WasEmitted(record.Serial, time))
        {
            _counters.LateRecords++;
            return;
        }

        _counters.SequenceGaps += node.Serials.Observe(record.Serial, time);
        CloseSettled(key);
        if (_inFlight.Count >= _maxInFlight)
        {
            _counters.EventsEvicted++;
            Complete(_oldest!);
        }

        Start(key, record);
    }

    /// <inheritdoc/>
    public void OnMalformed(ReadOnlySpan<byte> raw) => _counters.MalformedRecords++;

    /// <summary>Emits events that have waited longer than the timeout on the injected clock (call when idle).</summary>
    public void FlushExpired()
    {
        var now = _time.GetTimestamp();
        while (_oldest is { } slot && _time.GetElapsedTime(slot.ArrivalTimestamp, now) >= _timeout)
        {
            Complete(slot);
        }
    }

    /// <summary>Emits every event in flight, oldest first (end of a log file, shutdown).</summary>
    public void Flush()
    {
        while (_oldest is { } slot)
        {
            Complete(slot);
        }
    }

    // A syscall's records come one after the other (the kernel writes them at its exit), so most belong to the event
    // opened last: looking at it first spares the dictionary for all but an event's first record.
    private Slot? Find(EventKey key) =>
        _newest is { } newest && newest.Key == key ? newest : _inFlight.GetValueOrDefault(key);

    private void Start(EventKey key, in AuditRecord record)
    {
        var slot = _pool.Count > 0 ? _pool.Pop() : new Slot();
        slot.Key = key;
        slot.ArrivalTimestamp = _time.GetTimestamp();
        slot.Settled = false;
        slot.Event.Reset(record);
        slot.Newer = null;
        slot.Older = _newest;
        if (_newest is null)
        {
            _oldest = slot;
        }
        else
        {
            _newest.Newer = slot;
        }

        _newest = slot;
        _inFlight.Add(key, slot);
        MarkIfSettled(slot, record.Type);
    }

    private void MarkIfSettled(Slot slot, int type)
    {
        if (type == RecordType.Proctitle && !slot.Settled)
        {
            slot.Settled = true;
            _settled++;
        }
    }

    private void CloseSettled(EventKey except)
    {
        var slot = _oldest;
        while (_settled > 0 && slot is not null)
        {
            var next = slot.Newer;
            if (slot.Settled && slot.Key != except)
            {
                Complete(slot);
            }

            slot = next;
        }
    }

    /// <summary>Arrival order follows event time closely, so the scan walks from the oldest event.</summary>
    private void ExpireByEventTime(int nodeId, long cutoff)
    {
        var slot = _oldest;
        while (slot is not null)
        {
            var next = slot.Newer;
            if (slot.Key.NodeId == nodeId && slot.Event.TimeMilliseconds <= cutoff)
            {
                Complete(slot);
            }

            slot = next;
        }
    }

    private void Complete(Slot slot)
    {
        _inFlight.Remove(slot.Key);
        if (slot.Older is null)
        {
            _oldest = slot.Newer;
        }
        else
        {
            slot.Older.Newer = slot.Newer;
        }

        if (slot.Newer is null)
        {
            _newest = slot.Older;
        }
        else
        {
            slot.Newer.Older = slot.Older;
        }

        if (slot.Settled)
        {
            _settled--;
        }

        _nodes[slot.Key.NodeId].Serials.MarkEmitted(slot.Key.Serial);
        _counters.EventsBuilt++;
        try
        {
            slot.Event = _sink.Take(slot.Event);
        }
        finally
        {
            slot.Older = null;
            slot.Newer = null;
            if (_pool.Count < PoolLimit && slot.Event.ByteCount <= PooledBytesLimit)
            {
                _pool.Push(slot);
            }
        }
    }

    private int NodeIdOf(ReadOnlySpan<byte> node)
    {
        if (node.IsEmpty)
        {
            return 0;
        }

        for (var i = 1; i < _nodes.Count; i++)
        {
            if (node.SequenceEqual(_nodes[i].Name))
            {
                return i;
            }
        }

        if (_nodes.Count == MaxNodes)
        {
            return MaxNodes - 1;
        }

        _nodes.Add(new NodeState(node.ToArray()));
        return _nodes.Count - 1;
    }

    private readonly record struct EventKey(int NodeId, uint Serial);

    /// <summary>An open event with its place in arrival order.</summary>
    private sealed class Slot
    {
        public AuditEvent Event = new();
        public EventKey Key;
        public long ArrivalTimestamp;
        public bool Settled;
        public Slot? Older;
        public Slot? Newer;
    }

    private sealed class NodeState(byte[] name)
    {
        public byte[] Name { get; } = name;

        public SerialWindow Serials { get; } = new();

        public long LatestMilliseconds { get; set; } = long.MinValue;
    }
}
