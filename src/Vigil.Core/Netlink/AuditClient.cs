using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Vigil.KernelAbi;
using Vigil.Platform;

namespace Vigil.Netlink;

/// <summary>
/// One NETLINK_AUDIT socket: requests with acknowledgement (status, pid, rules, features) and the receive call
/// that records arrive through. Unicast sockets receive records once their process is set as the audit pid;
/// multicast sockets join AUDIT_NLGRP_READLOG and read a best-effort copy.
/// </summary>
public sealed class AuditClient : IDisposable
{
    /// <summary>AUDIT_NLGRP_READLOG (include/uapi/linux/audit.h:459).</summary>
    public const int AUDIT_NLGRP_READLOG = 1;

    /// <summary>The receive buffer Vigil asks for on sockets that read records.</summary>
    public const int DefaultReceiveBufferBytes = 8 * 1024 * 1024;

    /// <summary>
    /// How far a reading socket's buffer may grow after overflows. The kernel charges only what is queued, so a
    /// reader that keeps up costs nothing for it; one that stalls keeps up to this much before records are dropped.
    /// </summary>
    public const int MaxReceiveBufferBytes = 128 * 1024 * 1024;

    /// <summary>A buffer size that holds any single record: NLMSG_HDRLEN + MAX_AUDIT_MESSAGE_LENGTH (8970), rounded up.</summary>
    public const int RecordBufferBytes = 16 * 1024;

    private const int RequestTimeoutMilliseconds = 5000;
    private const int ReplyBufferBytes = 64 * 1024;

    private readonly NetlinkSocketHandle _socket;
    private readonly Lock _requestGate = new();
    private byte[]? _replyBuffer;
    private uint _sequence;
    private int _receiveTimeout;

    private AuditClient(NetlinkSocketHandle socket, bool multicast)
    {
        _socket = socket;
        IsMulticast = multicast;
    }

    /// <summary>Whether this socket reads the multicast group instead of unicast.</summary>
    public bool IsMulticast { get; }

    /// <summary>Messages dropped because their sender port was not the kernel's (nl_pid != 0).</summary>
    public long ForeignMessages { get; private set; }

    /// <summary>Opens a unicast socket; it receives records only after <see cref="SetPid"/> from this process.</summary>
    public static AuditClient OpenUnicast() => Open(groups: 0);

    /// <summary>Opens a socket bound to AUDIT_NLGRP_READLOG (needs CAP_AUDIT_READ).</summary>
    public static AuditClient OpenMulticast() => Open(groups: 1u << (AUDIT_NLGRP_READLOG - 1));

    private static unsafe AuditClient Open(uint groups)
    {
        var socket = NetlinkSocketHandle.Open();
        try
        {
            var address = new SockAddrNl { nl_family = Libc.AF_NETLINK, nl_groups = groups };
            if (Libc.bind(socket, &address, (uint)sizeof(SockAddrNl)) != 0)
            {
                AuditNetlinkException.ThrowLastError(groups == 0 ? "bind" : "bind to AUDIT_NLGRP_READLOG");
            }

            return new AuditClient(socket, groups != 0);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Leaves the socket open across execve (FD_CLOEXEC cleared) for the next image of this process to take over with
    /// <see cref="Adopt"/>, and returns its descriptor; this client no longer closes it. The kernel goes on queueing
    /// records on the socket meanwhile, and a unicast socket keeps its port, so it stays the audit pid's.
    /// </summary>
    public int DetachForExec()
    {
        var fd = (int)_socket.DangerousGetHandle();
        if (Libc.fcntl(fd, Libc.F_SETFD, 0) != 0)
        {
            AuditNetlinkException.ThrowLastError("fcntl(F_SETFD)");
        }

        _socket.SetHandleAsInvalid();
        return fd;
    }

    /// <summary>
    /// Takes over descriptor <paramref name="fd"/>, left open by <see cref="DetachForExec"/> before this image was
    /// executed; multicast when it is a member of AUDIT_NLGRP_READLOG. Throws when it is not a NETLINK_AUDIT socket.
    /// </summary>
    public static unsafe AuditClient Adopt(int fd)
    {
        var socket = NetlinkSocketHandle.Wrap(fd);
        try
        {
            int domain = 0, protocol = 0;
            uint groups = 0, length = sizeof(int);
            if (Libc.getsockopt(socket, Libc.SOL_SOCKET, Libc.SO_DOMAIN, &domain, &length) != 0
                || Libc.getsockopt(socket, Libc.SOL_SOCKET, Libc.SO_PROTOCOL, &protocol, &length) != 0)
            {
                AuditNetlinkException.ThrowLastError($"getsockopt of inherited descriptor {fd}");
            }

            if (domain != Libc.AF_NETLINK || protocol != Libc.NETLINK_AUDIT)
            {
                AuditNetlinkException.Throw($"taking over inherited descriptor {fd}", "it is not an audit netlink socket");
            }

            if (Libc.getsockopt(socket, Libc.SOL_NETLINK, Libc.NETLINK_LIST_MEMBERSHIPS, &groups, &length) != 0
                || Libc.fcntl(fd, Libc.F_SETFD, Libc.FD_CLOEXEC) != 0)
            {
                AuditNetlinkException.ThrowLastError($"taking over inherited descriptor {fd}");
            }

            return new AuditClient(socket, (groups & (1u << (AUDIT_NLGRP_READLOG - 1))) != 0);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sets SO_RCVBUF, with SO_RCVBUFFORCE first so root may exceed net.core.rmem_max; returns the size the
    /// kernel reports (twice the request, for its bookkeeping).
    /// </summary>
    public unsafe int SetReceiveBufferSize(int bytes)
    {
        if (Libc.setsockopt(_socket, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, &bytes, sizeof(int)) != 0
            && Libc.setsockopt(_socket, Libc.SOL_SOCKET, Libc.SO_RCVBUF, &bytes, sizeof(int)) != 0)
        {
            AuditNetlinkException.ThrowLastError("setsockopt(SO_RCVBUF)");
        }

        return ReceiveBufferSize;
    }

    /// <summary>The socket's SO_RCVBUF as the kernel reports it.</summary>
    public unsafe int ReceiveBufferSize
    {
        get
        {
            int value;
            uint length = sizeof(int);
            if (Libc.getsockopt(_socket, Libc.SOL_SOCKET, Libc.SO_RCVBUF, &value, &length) != 0)
            {
                AuditNetlinkException.ThrowLastError("getsockopt(SO_RCVBUF)");
            }

            return value;
        }
    }

    /// <summary>
    /// Datagrams the kernel could not queue on this socket because it was full (SO_MEMINFO's SK_MEMINFO_DROPS), a
    /// 32-bit counter that wraps.
    /// </summary>
    public unsafe uint ReceiveDrops
    {
        get
        {
            var meminfo = stackalloc uint[Libc.SK_MEMINFO_DROPS + 1];
            var length = (uint)((Libc.SK_MEMINFO_DROPS + 1) * sizeof(uint));
            if (Libc.getsockopt(_socket, Libc.SOL_SOCKET, Libc.SO_MEMINFO, meminfo, &length) != 0)
            {
                AuditNetlinkException.ThrowLastError("getsockopt(SO_MEMINFO)");
            }

            return meminfo[Libc.SK_MEMINFO_DROPS];
        }
    }

    /// <summary>AUDIT_GET: the kernel's audit status.</summary>
    public AuditStatus GetStatus()
    {
        var status = default(AuditStatus);
        Request(AuditMessageType.Get, default, AuditMessageType.Get, (in NetlinkMessage reply) => status = AuditStatus.Read(reply.Payload));
        return status;
    }

    /// <summary>AUDIT_SET: applies the fields of <paramref name="status"/> selected by its mask.</summary>
    public void SetStatus(in AuditStatus status)
    {
        Span<byte> payload = stackalloc byte[AuditStatus.Size];
        status.Write(payload);
        Request(AuditMessageType.Set, payload, expectedReply: 0, onReply: null);
    }

    /// <summary>
    /// AUDIT_SET with AUDIT_STATUS_LOST, as <c>auditctl --reset-lost</c>: sets the kernel's lost counter to zero and
    /// returns what it held, which the kernel sends back in the acknowledgement.
    /// </summary>
    public uint ResetLost()
    {
        Span<byte> payload = stackalloc byte[AuditStatus.Size];
        new AuditStatus { Mask = AuditStatusMask.Lost }.Write(payload);
        return (uint)Request(AuditMessageType.Set, payload, expectedReply: 0, onReply: null);
    }

    /// <summary>
    /// AUDIT_SET with AUDIT_STATUS_PID: makes this socket the unicast receiver when <paramref name="pid"/> is this
    /// process, or unregisters with 0. The kernel refuses another pid (EINVAL) and a live owner (EEXIST).
    /// </summary>
    public void SetPid(uint pid) => SetStatus(new AuditStatus { Mask = AuditStatusMask.Pid, Pid = pid });

    /// <summary>AUDIT_GET on a socket of its own, closed again: the status for a reader that keeps no client.</summary>
    public static AuditStatus ReadStatus()
    {
        using var client = OpenUnicast();
        return client.GetStatus();
    }

    /// <summary>AUDIT_GET_FEATURE: the loginuid features.</summary>
    public AuditFeatures GetFeatures()
    {
        var features = default(AuditFeatures);
        Request(AuditMessageType.GetFeature, default, AuditMessageType.GetFeature, (in NetlinkMessage reply) => features = AuditFeatures.Read(reply.Payload));
        return features;
    }

    /// <summary>AUDIT_LIST_RULES: each rule's <c>audit_rule_data</c> bytes, in kernel order.</summary>
    public List<byte[]> ListRuleData()
    {
        var rules = new List<byte[]>();
        Request(AuditMessageType.ListRules, default, AuditMessageType.ListRules, (in NetlinkMessage reply) => rules.Add(reply.Payload.ToArray()));
        return rules;
    }

    /// <summary>AUDIT_ADD_RULE with encoded <c>audit_rule_data</c>.</summary>
    public void AddRule(ReadOnlySpan<byte> ruleData) => Request(AuditMessageType.AddRule, ruleData, 0, null);

    /// <summary>
    /// AUDIT_DEL_RULE with <paramref name="ruleData"/> sent as it is; the kernel matches no rule when it carries
    /// AUDIT_FILTER_PREPEND (see <c>AuditClientRules.DeleteRule</c>).
    /// </summary>
    public void DeleteRuleData(ReadOnlySpan<byte> ruleData) => Request(AuditMessageType.DelRule, ruleData, 0, null);

    /// <summary>
    /// Waits up to <paramref name="timeoutMilliseconds"/> for one datagram from the kernel and copies it into
    /// <paramref name="buffer"/>; walk it with <see cref="NetlinkMessageReader"/>. EINTR is retried, datagrams from
    /// other senders are dropped, and ENOBUFS is reported as <see cref="NetlinkReceiveStatus.Overflow"/>.
    /// </summary>
    public NetlinkReceiveStatus Receive(Span<byte> buffer, int timeoutMilliseconds, out int length)
    {
        var deadline = Environment.TickCount64 + timeoutMilliseconds;
        while (true)
        {
            var remaining = (int)Math.Max(0, deadline - Environment.TickCount64);
            length = ReceiveOnce(buffer, remaining, out var senderPort, out var errno);
            if (length >= 0)
            {
                if (senderPort == 0)
                {
                    return NetlinkReceiveStatus.Data;
                }

                ForeignMessages++;
                continue;
            }

            length = 0;
            if (Failed(errno, remaining, deadline, "recvfrom") is { } status)
            {
                return status;
            }
        }
    }

    /// <summary>
    /// Receives as many datagrams as are queued, up to the batch's capacity, in one call: it waits up to
    /// <paramref name="timeoutMilliseconds"/> (0: not at all) for the first and takes the rest only if already there.
    /// Data when the batch holds at least one of the kernel's datagrams; others' are counted in
    /// <see cref="ForeignMessages"/> and left out.
    /// </summary>
    public unsafe NetlinkReceiveStatus Receive(DatagramBatch batch, int timeoutMilliseconds)
    {
        var deadline = Environment.TickCount64 + timeoutMilliseconds;
        while (true)
        {
            var remaining = (int)Math.Max(0, deadline - Environment.TickCount64);
            var flags = WaitFlags(remaining, Libc.MSG_WAITFORONE);
            var received = Libc.recvmmsg(_socket, batch.Prepare(), (uint)batch.Capacity, flags, null);
            if (received >= 0)
            {
                ForeignMessages += batch.Keep(received);
                if (batch.Count > 0)
                {
                    return NetlinkReceiveStatus.Data;
                }

                continue;
            }

            if (Failed(Marshal.GetLastPInvokeError(), remaining, deadline, "recvmmsg") is { } status)
            {
                return status;
            }
        }
    }

    /// <summary>Closes the socket; a unicast owner's registration lapses when the kernel next fails to reach it.</summary>
    public void Dispose() => _socket.Dispose();

    private delegate void ReplyHandler(in NetlinkMessage reply);

    // The kernel acknowledges synchronously but sends AUDIT_GET and AUDIT_LIST_RULES replies from a separate
    // kernel thread, so the ack and the reply arrive in either order and both are awaited.
    // Returns the acknowledgement's value: 0, or a count the kernel answers with (AUDIT_STATUS_LOST's old value);
    // only a negative value is an errno.
    private int Request(ushort type, ReadOnlySpan<byte> payload, ushort expectedReply, ReplyHandler? onReply)
    {
        lock (_requestGate)
        {
            var sequence = ++_sequence;
            Send(type, sequence, payload);
            _replyBuffer ??= new byte[ReplyBufferBytes];
            var acknowledged = false;
            var acknowledgement = 0;
            var replied = expectedReply == 0;
            var deadline = Environment.TickCount64 + RequestTimeoutMilliseconds;
            while (!(acknowledged && replied))
            {
                var remaining = (int)Math.Max(0, deadline - Environment.TickCount64);
                var status = Receive(_replyBuffer, remaining, out var length);
                if (status == NetlinkReceiveStatus.Timeout)
                {
                    AuditNetlinkException.Throw(AuditMessageType.NameOf(type), "no reply from the kernel within 5 s");
                }

                if (status == NetlinkReceiveStatus.Overflow)
                {
                    continue;
                }

                var reader = new NetlinkMessageReader(_replyBuffer.AsSpan(0, length));
                while (reader.TryRead(out var message))
                {
                    if (message.Sequence != sequence)
                    {
                        continue;
                    }

                    if (message.Type == NlMsgHdr.NLMSG_ERROR)
                    {
                        acknowledgement = message.Payload.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(message.Payload) : 0;
                        if (acknowledgement < 0)
                        {
                            AuditNetlinkException.Throw(AuditMessageType.NameOf(type), -acknowledgement);
                        }

                        acknowledged = true;
                    }
                    else if (message.Type == NlMsgHdr.NLMSG_DONE)
                    {
                        replied = true;
                    }
                    else if (message.Type == expectedReply)
                    {
                        onReply?.Invoke(message);
                        replied |= type != AuditMessageType.ListRules;
                    }
                }
            }

            return acknowledgement;
        }
    }

    private void Send(ushort type, uint sequence, ReadOnlySpan<byte> payload) =>
        _socket.SendRequest(type, NlMsgHdr.NLM_F_REQUEST | NlMsgHdr.NLM_F_ACK, sequence, payload, AuditMessageType.NameOf(type));

    // One blocking recvfrom bounded by SO_RCVTIMEO, rather than poll then recvfrom: one system call per datagram.
    // The timeout is set only when it changes, so a reader that always waits the same time sets it once; a zero
    // timeout (which SO_RCVTIMEO would read as "forever") becomes a non-blocking receive.
    private unsafe int ReceiveOnce(Span<byte> buffer, int timeoutMilliseconds, out uint senderPort, out int errno)
    {
        var flags = WaitFlags(timeoutMilliseconds, 0);
        SockAddrNl sender;
        var senderLength = (uint)sizeof(SockAddrNl);
        nint received;
        fixed (byte* bytes = buffer)
        {
            received = Libc.recvfrom(_socket, bytes, (nuint)buffer.Length, flags, &sender, &senderLength);
        }

        errno = received < 0 ? Marshal.GetLastPInvokeError() : 0;
        senderPort = received < 0 ? 0 : sender.nl_pid;
        return (int)received;
    }

    // A receive that must not wait is MSG_DONTWAIT; one that may waits on the socket's timeout, set only when it changes.
    private int WaitFlags(int timeoutMilliseconds, int waitingFlags)
    {
        if (timeoutMilliseconds == 0)
        {
            return Libc.MSG_DONTWAIT;
        }

        if (timeoutMilliseconds != _receiveTimeout)
        {
            SetReceiveTimeout(timeoutMilliseconds);
        }

        return waitingFlags;
    }

    // What a failed receive means: nothing before the deadline (EAGAIN once it passed), an overflow (ENOBUFS), or
    // null to try again (EINTR, or SO_RCVTIMEO's EAGAIN before the deadline); other errors throw.
    private static NetlinkReceiveStatus? Failed(int errno, int remaining, long deadline, string call)
    {
        switch (errno)
        {
            case Libc.EAGAIN when remaining == 0 || Environment.TickCount64 >= deadline:
                return NetlinkReceiveStatus.Timeout;
            case Libc.EINTR or Libc.EAGAIN:
                return null;
            case Libc.ENOBUFS:
                return NetlinkReceiveStatus.Overflow;
            default:
                AuditNetlinkException.Throw(call, errno);
                return null;
        }
    }

    private unsafe void SetReceiveTimeout(int milliseconds)
    {
        var timeout = new Libc.TimeVal { tv_sec = milliseconds / 1000, tv_usec = milliseconds % 1000 * 1000L };
        if (Libc.setsockopt(_socket, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, &timeout, (uint)sizeof(Libc.TimeVal)) != 0)
        {
            AuditNetlinkException.ThrowLastError("setsockopt(SO_RCVTIMEO)");
        }

        _receiveTimeout = milliseconds;
    }
}
