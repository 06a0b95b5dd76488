using Vigil.KernelAbi;
using Vigil.Netlink;
using Vigil.Platform;
using Vigil.Records;

namespace Vigil.Sources;

/// <summary>
/// Reads records from an audit netlink socket and hands each one to an <see cref="IRecordSink"/>, on the thread
/// that calls <see cref="Run"/>. Control traffic is skipped; a receive-queue overflow is counted, doubles the socket's
/// buffer (up to a ceiling) and reading goes on.
/// </summary>
/// <remarks>
/// Growing matters most for multicast readers: the kernel delivers to them while their queue has room and drops
/// otherwise, with no retry, so a buffer too small for one event's records would lose part of every event after a
/// stall. A unicast reader is retried by the kernel, but a larger buffer still spares it the next overflow.
/// </remarks>
public sealed class KernelSource
{
    private const int PollMilliseconds = 200;

    /// <summary>The most records one receive call takes.</summary>
    public const int BatchDatagrams = 64;

    /// <summary>
    /// How long the reader lets records gather in the socket's queue after draining it, unless told otherwise. The
    /// socket's buffer (16 MB, grown on overflow) held them at the highest rate of bench/compare.sh, nothing lost;
    /// 50 ms rather than 20 ms took a fifth off the daemon's CPU at 200 exec/s (bench/RESULTS.md).
    /// </summary>
    public static readonly TimeSpan DefaultGather = TimeSpan.FromMilliseconds(50);

    private readonly AuditClient _reader;
    private readonly IRecordSink _sink;
    private readonly int _maxReceiveBufferBytes;
    private readonly int _gatherMilliseconds;
    private long _records;
    private long _malformed;
    private long _overflows;
    private long _batches;
    private long _drops;
    private uint _dropsSeen;
    private int _receiveBufferBytes;

    /// <summary>
    /// A source over <paramref name="reader"/> delivering to <paramref name="sink"/>, whose buffer may grow to
    /// <paramref name="maxReceiveBufferBytes"/> (the SO_RCVBUF request; the kernel reports twice that). After draining
    /// the socket the reader sleeps <paramref name="gather"/> (default <see cref="DefaultGather"/>; zero: never)
    /// before waiting again.
    /// </summary>
    public KernelSource(AuditClient reader, IRecordSink sink, int maxReceiveBufferBytes = AuditClient.MaxReceiveBufferBytes, TimeSpan? gather = null)
    {
        _reader = reader;
        _sink = sink;
        _maxReceiveBufferBytes = maxReceiveBufferBytes;
        _gatherMilliseconds = (int)(gather ?? DefaultGather).TotalMilliseconds;
        ArgumentOutOfRangeException.ThrowIfNegative(_gatherMilliseconds, nameof(gather));
    }

    /// <summary>Records handed to the sink (well-formed or not).</summary>
    public long Records => Interlocked.Read(ref _records);

    /// <summary>Records the parser rejected and passed to <see cref="IRecordSink.OnMalformed"/>.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>ENOBUFS reports: times the socket's queue overflowed and the kernel dropped records for this reader.</summary>
    public long Overflows => Interlocked.Read(ref _overflows);

    /// <summary>Times the reader found data after waiting: the batches it drained, each in one wake-up.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>
    /// Datagrams the kernel could not queue on the socket since <see cref="Run"/> began, as of the last 200 ms. For a
    /// multicast reader these records are lost (the kernel's <c>lost</c> counter does not include them); for the
    /// unicast one the kernel retries them and counts in <c>lost</c> only what it finally drops.
    /// </summary>
    public long Drops => Interlocked.Read(ref _drops);

    /// <summary>The reading socket's SO_RCVBUF as the kernel reported it last (twice the request, as <c>ss -m</c> shows).</summary>
    public int ReceiveBufferBytes => Volatile.Read(ref _receiveBufferBytes);

    /// <summary>
    /// Receives until <paramref name="cancellation"/> is signalled; returns within about 200 ms of it.
    /// <paramref name="tick"/> runs on this thread about every 200 ms, busy or idle, so that time-based work on the
    /// sink (expiring events that never saw their EOE) needs no lock.
    /// </summary>
    /// <remarks>
    /// The kernel sends each record as it is made, so a reader that blocks again as soon as the queue is empty wakes
    /// once per event (about 4,000 wake-ups for the 10 s at 200 exec/s in bench/compare.sh, the largest part of the
    /// daemon's CPU there). Draining without blocking and then sleeping the gather time bounds the wake-ups to about
    /// 1000 / gather per second whatever the rate; records wait that long at most, in a socket buffer of megabytes.
    /// Each receive takes up to <see cref="BatchDatagrams"/> records in one recvmmsg call, so a gathered queue costs a
    /// few system calls, not one per record: every call of this process goes through the audit context too.
    /// </remarks>
    public void Run(CancellationToken cancellation, Action? tick = null)
    {
        var batch = new DatagramBatch(BatchDatagrams);
        _dropsSeen = _reader.ReceiveDrops;
        Volatile.Write(ref _receiveBufferBytes, _reader.ReceiveBufferSize);
        var nextTick = Environment.TickCount64 + PollMilliseconds;
        // Zero while draining what is already queued.
        var wait = PollMilliseconds;
        while (!cancellation.IsCancellationRequested)
        {
            switch (_reader.Receive(batch, wait))
            {
                case NetlinkReceiveStatus.Data:
                    if (wait > 0)
                    {
                        Interlocked.Increment(ref _batches);
                    }

                    for (var i = 0; i < batch.Count; i++)
                    {
                        Dispatch(batch[i]);
                    }

                    // A batch with room to spare took everything queued: the queue is drained.
                    wait = batch.Received == batch.Capacity ? 0 : Gather();
                    break;
                case NetlinkReceiveStatus.Overflow:
                    Interlocked.Increment(ref _overflows);
                    GrowReceiveBuffer();
                    break;
                default:
                    wait = wait == 0 ? Gather() : PollMilliseconds;
                    break;
            }

            if (Environment.TickCount64 >= nextTick)
            {
                ReadDrops();
                tick?.Invoke();
                nextTick = Environment.TickCount64 + PollMilliseconds;
            }
        }
    }

    // Sleeps the gather time after the queue was drained; returns the wait for the next receive.
    private int Gather()
    {
        if (_gatherMilliseconds > 0)
        {
            ThreadNap.Sleep(_gatherMilliseconds);
        }

        return PollMilliseconds;
    }

    // The kernel reports twice the size it was asked for, so half the report is the current request.
    private void GrowReceiveBuffer()
    {
        var requested = _reader.ReceiveBufferSize / 2;
        if (requested < _maxReceiveBufferBytes)
        {
            Volatile.Write(ref _receiveBufferBytes, _reader.SetReceiveBufferSize((int)Math.Min(_maxReceiveBufferBytes, 2L * requested)));
        }
    }

    // Unsigned subtraction carries the count across the kernel counter's wrap.
    private void ReadDrops()
    {
        var seen = _reader.ReceiveDrops;
        Interlocked.Add(ref _drops, unchecked(seen - _dropsSeen));
        _dropsSeen = seen;
    }

    /// <summary>
    /// Whether a message type carries a record: not NLMSG_*, not AUDIT_REPLACE, and not a 1000-1099 request or reply,
    /// except the two records numbered among them: USER (1005, a user-space message) and LOGIN (1006, the kernel's own
    /// when a loginuid is set), which auditd logs and log files hold.
    /// </summary>
    public static bool IsRecordType(ushort type) =>
        type >= NlMsgHdr.NLMSG_MIN_TYPE
        && (type is not (>= AuditMessageType.FirstControl and <= AuditMessageType.LastControl) || type is RecordType.User or RecordType.Login)
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
