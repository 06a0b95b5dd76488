namespace Vigil.Netlink;

/// <summary>The outcome of one receive call on an audit socket.</summary>
public enum NetlinkReceiveStatus
{
    /// <summary>A datagram from the kernel was received.</summary>
    Data,

    /// <summary>Nothing arrived before the timeout.</summary>
    Timeout,

    /// <summary>ENOBUFS: the socket's receive queue overflowed and the kernel dropped messages.</summary>
    Overflow,
}
