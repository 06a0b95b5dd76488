using Vigil.Netlink;
using Vigil.Records;

namespace Vigil.Sources;

/// <summary>
/// Reads records from an audit netlink socket and hands each one to an <see cref="IRecordSink"/>, on the thread
/// that calls <see cref="Run"/>. Control traffic is skipped; receive-queue overflows are counted and reading goes on.
/// </summary>
public sealed class KernelSource
{
    private const int PollMilliseconds = 200;

    private readonly AuditClient _reader;
    private readonly IRecordSink _sink;
    private long _records;
    private long _malformed;
    private long _overflows;

    /// <summary>A source over <paramref name="reader"/> delivering to <paramref name="sink"/>.</summary>
    public KernelSource(AuditClient reader, IRecordSink sink)
    {
        _reader = reader;
        _sink = sink;
    }

    /// <summary>Records handed to the sink (well-formed or not).</summary>
    public long Records => Interlocked.Read(ref _records);

    /// <summary>Records the parser rejected and passed to <see cref="IRecordSink.OnMalformed"/>.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>ENOBUFS reports: times the socket's queue overflowed and the kernel dropped records for this reader.</summary>
    public long Overflows => Interlocked.Read(ref _overflows);

    /// <summary>
    /// Receives until <paramref name="cancellation"/> is signalled; returns within about 200 ms of it.
    /// <paramref name="tick"/> runs on this thread at least every 200 ms, busy or idle, so that time-based work on the
    /// sink (expiring events that never saw their EOE) needs no lock.
    /// </summary>
    public void Run(CancellationToken cancellation, Action? tick = null)
    {
        var buffer = new byte[AuditClient.RecordBufferBytes];
        var nextTick = Environment.TickCount64 + PollMilliseconds;
        while (!cancellation.IsCancellationRequested)
        {
            switch (_reader.Receive(buffer, PollMilliseconds, out var length))
            {
                case NetlinkReceiveStatus.Data:
                    Dispatch(buffer.AsSpan(0, length));
                    break;
                case NetlinkReceiveStatus.Overflow:
                    Interlocked.Increment(ref _overflows);
                    break;
            }

            if (tick is not null && Environment.TickCount64 >= nextTick)
            {
                tick();
                nextTick = Environment.TickCount64 + PollMilliseconds;
            }
        }
    }

    /// <summary>Whether a message type carries a record: not NLMSG_*, not a 1000-1099 reply, not AUDIT_REPLACE.</summary>
    public static bool IsRecordType(ushort type) =>
        type >= NlMsgHdr.NLMSG_MIN_TYPE
        && type is not (>= AuditMessageType.FirstControl and <= AuditMessageType.LastControl)
        && type != RecordType.Replace;

    /// <summary>
    /// Hands every record of one datagram to the sink. A message cut short (a datagram larger than the receive
    /// buffer, which the kernel never sends) counts as one malformed record.
    /// </summary>
    internal void Dispatch(ReadOnlySpan<byte> datagram)
    {
        var messages = new NetlinkMessageReader(datagram);
        while (messages.TryRead(out var message))
        {
            if (!IsRecordType(message.Type))
            {
                continue;
            }

            Interlocked.Increment(ref _records);
            if (RecordParser.TryParseNetlink(message.Type, message.Payload, out var record))
            {
                _sink.OnRecord(record);
            }
            else
            {
                Interlocked.Increment(ref _malformed);
                _sink.OnMalformed(message.Payload);
            }
        }

        if (messages.Truncated)
        {
            Interlocked.Increment(ref _records);
            Interlocked.Increment(ref _malformed);
            _sink.OnMalformed(datagram);
        }
    }
}
