using System.Runtime.InteropServices;

namespace Vigil.Netlink;

/// <summary>Owns the file descriptor of one NETLINK_AUDIT socket and closes it exactly once.</summary>
internal sealed class NetlinkSocketHandle : SafeHandle
{
    public NetlinkSocketHandle()
        : base(invalidHandleValue: -1, ownsHandle: true)
    {
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle < 0;

    /// <summary>Opens <c>socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT)</c>.</summary>
    public static NetlinkSocketHandle Open()
    {
        var fd = NativeMethods.socket(
            NativeMethods.AF_NETLINK, NativeMethods.SOCK_RAW | NativeMethods.SOCK_CLOEXEC, NativeMethods.NETLINK_AUDIT);
        if (fd < 0)
        {
            AuditNetlinkException.ThrowLastError("socket");
        }

        var handle = new NetlinkSocketHandle();
        handle.SetHandle(fd);
        return handle;
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle() => NativeMethods.close((int)handle) == 0;
}
