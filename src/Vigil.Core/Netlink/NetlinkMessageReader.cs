using Vigil.KernelAbi;

namespace Vigil.Netlink;

/// <summary>
/// Walks the netlink messages of one received datagram without copying (NLMSG_OK/NLMSG_NEXT of
/// include/uapi/linux/netlink.h:104).
/// </summary>
/// <remarks>
/// The kernel sets nlmsg_len of records it unicasts to the payload length alone (audit_log_end in kernel/audit.c;
/// multicast copies are corrected). A record is always alone in its datagram, so a record header 16 bytes
/// short of the datagram is read as covering all of it.
/// </remarks>
public ref struct NetlinkMessageReader
{
    private ReadOnlySpan<byte> _remaining;

    /// <summary>Starts at the first message of <paramref name="datagram"/>.</summary>
    public NetlinkMessageReader(ReadOnlySpan<byte> datagram) => _remaining = datagram;

    /// <summary>Whether reading stopped at a header whose length does not fit the datagram.</summary>
    public bool Truncated { get; private set; }

    /// <summary>Reads the next message; false at the end of the datagram or at a malformed header.</summary>
    public bool TryRead(out NetlinkMessage message)
    {
        message = default;
        if (_remaining.Length < NlMsgHdr.Size)
        {
            Truncated = _remaining.Length != 0;
            _remaining = default;
            return false;
        }

        var header = NlMsgHdr.Read(_remaining);
        if (header.nlmsg_len < NlMsgHdr.Size || header.nlmsg_len > (uint)_remaining.Length)
        {
            Truncated = true;
            _remaining = default;
            return false;
        }

        var length = (int)header.nlmsg_len;
        if (header.nlmsg_type > AuditMessageType.LastControl && length + NlMsgHdr.Size == _remaining.Length)
        {
            length = _remaining.Length;
        }

        message = new NetlinkMessage
        {
            Type = header.nlmsg_type,
            Flags = header.nlmsg_flags,
            Sequence = header.nlmsg_seq,
            Payload = _remaining[NlMsgHdr.Size..length],
        };
        var next = NlMsgHdr.Align(length);
        _remaining = next >= _remaining.Length ? default : _remaining[next..];
        return true;
    }
}
