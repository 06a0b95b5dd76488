using System.Runtime.InteropServices;
using Vigil.Platform;

namespace Vigil.Netlink;

/// <summary>Owns the file descriptor of one netlink socket (NETLINK_AUDIT, or NETLINK_ROUTE for a dump) and closes it exactly once.</summary>
internal sealed class NetlinkSocketHandle : SafeHandle
{
    public NetlinkSocketHandle()
        : base(invalidHandleValue: -1, ownsHandle: true)
    {
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle < 0;

    /// <summary>Opens <c>socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol)</c>.</summary>
    public static NetlinkSocketHandle Open(int protocol = Libc.NETLINK_AUDIT)
    {
        var fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, protocol);
        if (fd < 0)
        {
            AuditNetlinkException.ThrowLastError("socket");
        }

        return Wrap(fd);
    }

    /// <summary>Owns <paramref name="fd"/>, a socket opened elsewhere (inherited across execve).</summary>
    public static NetlinkSocketHandle Wrap(int fd)
    {
        var handle = new NetlinkSocketHandle();
        handle.SetHandle(fd);
        return handle;
    }

    /// <summary>
    /// Sends one request (<paramref name="type"/>, <paramref name="flags"/>, <paramref name="sequence"/>, then
    /// <paramref name="payload"/>) to the kernel, retrying when a signal interrupts; throws
    /// <see cref="AuditNetlinkException"/> naming <paramref name="operation"/> when sendto fails.
    /// </summary>
    public unsafe void SendRequest(ushort type, ushort flags, uint sequence, ReadOnlySpan<byte> payload, string operation)
    {
        var length = NlMsgHdr.Size + payload.Length;
        var message = new byte[NlMsgHdr.Align(length)];
        new NlMsgHdr { nlmsg_len = (uint)length, nlmsg_type = type, nlmsg_flags = flags, nlmsg_seq = sequence }.Write(message);
        payload.CopyTo(message.AsSpan(NlMsgHdr.Size));
        var kernel = new SockAddrNl { nl_family = Libc.AF_NETLINK };
        fixed (byte* bytes = message)
        {
            while (Libc.sendto(this, bytes, (nuint)message.Length, 0, &kernel, (uint)sizeof(SockAddrNl)) < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno != Libc.EINTR)
                {
                    AuditNetlinkException.Throw($"{operation} (sendto)", errno);
                }
            }
        }
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle() => Libc.close((int)handle) == 0;
}
