using System.Runtime.InteropServices;

namespace Vigil.Netlink;

/// <summary>The libc calls the audit netlink socket needs, with the constants they take.</summary>
internal static partial class NativeMethods
{
    /// <summary>AF_NETLINK (include/linux/socket.h).</summary>
    public const int AF_NETLINK = 16;

    /// <summary>SOCK_RAW (include/linux/net.h).</summary>
    public const int SOCK_RAW = 3;

    /// <summary>SOCK_CLOEXEC (asm-generic/fcntl.h O_CLOEXEC).</summary>
    public const int SOCK_CLOEXEC = 0x80000;

    /// <summary>NETLINK_AUDIT (include/uapi/linux/netlink.h).</summary>
    public const int NETLINK_AUDIT = 9;

    /// <summary>SOL_SOCKET (asm-generic/socket.h).</summary>
    public const int SOL_SOCKET = 1;

    /// <summary>SO_RCVBUF (asm-generic/socket.h).</summary>
    public const int SO_RCVBUF = 8;

    /// <summary>SO_RCVBUFFORCE (asm-generic/socket.h); CAP_NET_ADMIN may exceed net.core.rmem_max.</summary>
    public const int SO_RCVBUFFORCE = 33;

    /// <summary>SO_RCVTIMEO (asm-generic/socket.h SO_RCVTIMEO_OLD on 64-bit): a blocking receive gives up with EAGAIN.</summary>
    public const int SO_RCVTIMEO = 20;

    /// <summary>SO_MEMINFO (asm-generic/socket.h): the socket's memory counters, <c>u32[SK_MEMINFO_VARS]</c>.</summary>
    public const int SO_MEMINFO = 55;

    /// <summary>SK_MEMINFO_DROPS (include/uapi/linux/sock_diag.h): packets dropped because the receive queue was full.</summary>
    public const int SK_MEMINFO_DROPS = 8;

    /// <summary>MSG_DONTWAIT (include/linux/socket.h): this receive does not block.</summary>
    public const int MSG_DONTWAIT = 0x40;

    /// <summary>EINTR (asm-generic/errno-base.h).</summary>
    public const int EINTR = 4;

    /// <summary>EAGAIN (asm-generic/errno-base.h).</summary>
    public const int EAGAIN = 11;

    /// <summary>ENOBUFS (asm-generic/errno.h): the socket's receive queue overflowed and messages were dropped.</summary>
    public const int ENOBUFS = 105;

    /// <summary><c>struct timeval</c> as SO_RCVTIMEO takes it on 64-bit (include/uapi/linux/time_types.h __kernel_old_timeval).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct TimeVal
    {
        public long tv_sec;
        public long tv_usec;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int bind(SafeHandle sockfd, SockAddrNl* addr, uint addrlen);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial nint sendto(SafeHandle sockfd, byte* buf, nuint len, int flags, SockAddrNl* destAddr, uint addrlen);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial nint recvfrom(SafeHandle sockfd, byte* buf, nuint len, int flags, SockAddrNl* srcAddr, uint* addrlen);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int setsockopt(SafeHandle sockfd, int level, int optname, void* optval, uint optlen);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int getsockopt(SafeHandle sockfd, int level, int optname, void* optval, uint* optlen);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport("libc")]
    public static partial int getpid();
}
