using System.Runtime.InteropServices;

namespace Vigil.Netlink;

/// <summary><c>struct sockaddr_nl</c> (include/uapi/linux/netlink.h:37), 12 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SockAddrNl
{
    /// <summary>nl_family: AF_NETLINK.</summary>
    public ushort nl_family;

    /// <summary>nl_pad: zero.</summary>
    public ushort nl_pad;

    /// <summary>nl_pid: the port id; 0 is the kernel, and 0 in bind() lets the kernel choose.</summary>
    public uint nl_pid;

    /// <summary>nl_groups: multicast group mask; bit (AUDIT_NLGRP_READLOG - 1) for the read-only log group.</summary>
    public uint nl_groups;
}
