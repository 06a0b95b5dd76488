namespace Vigil.Netlink;

/// <summary>One netlink message inside a received datagram: its header fields and a view of its payload.</summary>
public readonly ref struct NetlinkMessage
{
    /// <summary>nlmsg_type: an audit record type (1300 SYSCALL, …), a control reply, or NLMSG_*.</summary>
    public ushort Type { get; init; }

    /// <summary>nlmsg_flags.</summary>
    public ushort Flags { get; init; }

    /// <summary>nlmsg_seq: the request's sequence number for replies, 0 for records.</summary>
    public uint Sequence { get; init; }

    /// <summary>The bytes after the 16-byte header, up to nlmsg_len.</summary>
    public ReadOnlySpan<byte> Payload { get; init; }

    /// <summary>Whether this is a netlink control message (NLMSG_NOOP, ERROR, DONE, OVERRUN) rather than audit data.</summary>
    public bool IsNetlinkControl => Type < NlMsgHdr.NLMSG_MIN_TYPE;
}
