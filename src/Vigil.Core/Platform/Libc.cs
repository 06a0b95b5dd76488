using System.Runtime.InteropServices;

namespace Vigil.Platform;

/// <summary>
/// Every call into the C library, with the constants and structs they take, each written once with the kernel's or
/// libc's names and the header it comes from (layouts checked by LibcStructTests).
/// </summary>
internal static unsafe partial class Libc
{
    private const string Library = "libc";

    /// <summary>AF_NETLINK (include/linux/socket.h).</summary>
    public const int AF_NETLINK = 16;

    /// <summary>SOCK_RAW (include/linux/net.h).</summary>
    public const int SOCK_RAW = 3;

    /// <summary>SOCK_CLOEXEC (asm-generic/fcntl.h O_CLOEXEC).</summary>
    public const int SOCK_CLOEXEC = 0x80000;

    /// <summary>O_RDONLY (asm-generic/fcntl.h).</summary>
    public const int O_RDONLY = 0;

    /// <summary>O_CLOEXEC (asm-generic/fcntl.h).</summary>
    public const int O_CLOEXEC = 0x80000;

    /// <summary>F_OK (include/unistd.h): access(2) asks only whether the path exists.</summary>
    public const int F_OK = 0;

    /// <summary>NETLINK_AUDIT (include/uapi/linux/netlink.h).</summary>
    public const int NETLINK_AUDIT = 9;

    /// <summary>NETLINK_ROUTE (include/uapi/linux/netlink.h): the routes table's dump.</summary>
    public const int NETLINK_ROUTE = 0;

    /// <summary>W_OK (include/unistd.h): access(2) asks for write permission.</summary>
    public const int W_OK = 2;

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

    /// <summary>SO_PROTOCOL (asm-generic/socket.h): the socket's protocol, NETLINK_AUDIT for Vigil's.</summary>
    public const int SO_PROTOCOL = 38;

    /// <summary>SO_DOMAIN (asm-generic/socket.h): the socket's address family.</summary>
    public const int SO_DOMAIN = 39;

    /// <summary>SOL_NETLINK (include/linux/socket.h).</summary>
    public const int SOL_NETLINK = 270;

    /// <summary>NETLINK_LIST_MEMBERSHIPS (include/uapi/linux/netlink.h): the multicast groups joined, as a bitmask.</summary>
    public const int NETLINK_LIST_MEMBERSHIPS = 9;

    /// <summary>O_DIRECTORY (asm-generic/fcntl.h).</summary>
    public const int O_DIRECTORY = 0x10000;

    /// <summary>O_PATH (asm-generic/fcntl.h): a descriptor that names the file without opening it for reading.</summary>
    public const int O_PATH = 0x200000;

    /// <summary>FILEID_KERNFS (include/linux/exportfs.h): a kernfs file handle, the node's 64-bit id.</summary>
    public const int FILEID_KERNFS = 0xfe;

    /// <summary>F_SETFD (asm-generic/fcntl.h).</summary>
    public const int F_SETFD = 2;

    /// <summary>FD_CLOEXEC (asm-generic/fcntl.h).</summary>
    public const int FD_CLOEXEC = 1;

    /// <summary>Hangup (asm-generic/signal.h).</summary>
    public const int SIGHUP = 1;

    /// <summary>Interrupt (asm-generic/signal.h).</summary>
    public const int SIGINT = 2;

    /// <summary>The default disposition of a signal (asm-generic/signal-defs.h).</summary>
    public const nint SIG_DFL = 0;

    /// <summary>SK_MEMINFO_DROPS (include/uapi/linux/sock_diag.h): packets dropped because the receive queue was full.</summary>
    public const int SK_MEMINFO_DROPS = 8;

    /// <summary>MSG_DONTWAIT (include/linux/socket.h): this receive does not block.</summary>
    public const int MSG_DONTWAIT = 0x40;

    /// <summary>MSG_WAITFORONE (include/linux/socket.h): recvmmsg blocks for the first message only.</summary>
    public const int MSG_WAITFORONE = 0x10000;

    /// <summary>EINTR (asm-generic/errno-base.h).</summary>
    public const int EINTR = 4;

    /// <summary>ESRCH (asm-generic/errno-base.h): no such process.</summary>
    public const int ESRCH = 3;

    /// <summary>EAGAIN (asm-generic/errno-base.h).</summary>
    public const int EAGAIN = 11;

    /// <summary>ENOBUFS (asm-generic/errno.h): the socket's receive queue overflowed and messages were dropped.</summary>
    public const int ENOBUFS = 105;

    /// <summary>ENOMEM (asm-generic/errno-base.h).</summary>
    public const int ENOMEM = 12;

    /// <summary>ENFILE (asm-generic/errno-base.h): the system's open files are at their limit.</summary>
    public const int ENFILE = 23;

    /// <summary>EMFILE (asm-generic/errno-base.h): the process's descriptors are at their limit.</summary>
    public const int EMFILE = 24;

    /// <summary>AT_FDCWD (include/uapi/linux/fcntl.h).</summary>
    public const int AT_FDCWD = -100;

    /// <summary>STATX_BASIC_STATS (include/uapi/linux/stat.h): every field of struct stat.</summary>
    public const uint STATX_BASIC_STATS = 0x7ff;

    /// <summary>CLOCK_BOOTTIME (include/uapi/linux/time.h).</summary>
    public const int CLOCK_BOOTTIME = 7;

    /// <summary>WNOHANG (include/uapi/linux/wait.h).</summary>
    public const int WNOHANG = 1;

    /// <summary>AF_INET (include/linux/socket.h).</summary>
    public const int AF_INET = 2;

    /// <summary>AF_INET6 (include/linux/socket.h).</summary>
    public const int AF_INET6 = 10;

    /// <summary>AF_PACKET (include/linux/socket.h): getifaddrs' link entry of an interface, with its statistics.</summary>
    public const int AF_PACKET = 17;

    /// <summary>SOCK_DGRAM (include/linux/net.h).</summary>
    public const int SOCK_DGRAM = 2;

    /// <summary>NI_NUMERICHOST (netdb.h): getnameinfo formats the address, never looks a name up.</summary>
    public const int NI_NUMERICHOST = 1;

    /// <summary>NI_MAXHOST (netdb.h).</summary>
    public const int NI_MAXHOST = 1025;

    /// <summary>SIOCGIFMETRIC (include/uapi/linux/sockios.h).</summary>
    public const uint SIOCGIFMETRIC = 0x891d;

    /// <summary>SIOCGIFMTU (include/uapi/linux/sockios.h).</summary>
    public const uint SIOCGIFMTU = 0x8921;

    /// <summary>SIOCGIFHWADDR (include/uapi/linux/sockios.h): the link type in sa_family and the address in sa_data.</summary>
    public const uint SIOCGIFHWADDR = 0x8927;

    /// <summary>SIOCETHTOOL (include/uapi/linux/sockios.h): ifr_data points at an ethtool command.</summary>
    public const uint SIOCETHTOOL = 0x8946;

    /// <summary>ETHTOOL_GSET (include/uapi/linux/ethtool.h): struct ethtool_cmd.</summary>
    public const uint ETHTOOL_GSET = 1;

    /// <summary>ETHTOOL_GDRVINFO (include/uapi/linux/ethtool.h): struct ethtool_drvinfo.</summary>
    public const uint ETHTOOL_GDRVINFO = 3;

    /// <summary>IFNAMSIZ (include/uapi/linux/if.h).</summary>
    public const int IFNAMSIZ = 16;

    private static readonly nint EnvironAddress = NativeLibrary.GetExport(NativeLibrary.GetMainProgramHandle(), "environ");

    /// <summary>
    /// The C library's environment (char **environ), read at each use because setenv(3) may move it. Variables set
    /// through Environment.SetEnvironmentVariable live only in the runtime and are not in it.
    /// </summary>
    public static byte** Environ => *(byte***)EnvironAddress;

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint signal(int signum, nint handler);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int kill(int pid, int sig);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    // The address arguments are struct sockaddr * in C: the caller passes its family's struct (sockaddr_nl).
    [LibraryImport(Library, SetLastError = true)]
    public static partial int bind(SafeHandle sockfd, void* addr, uint addrlen);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint sendto(SafeHandle sockfd, byte* buf, nuint len, int flags, void* destAddr, uint addrlen);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint recvfrom(SafeHandle sockfd, byte* buf, nuint len, int flags, void* srcAddr, uint* addrlen);

    // The timeout argument is not given: recvmmsg(2) checks it only between messages; SO_RCVTIMEO bounds the wait.
    [LibraryImport(Library, SetLastError = true)]
    public static partial int recvmmsg(SafeHandle sockfd, MMsgHdr* msgvec, uint vlen, int flags, Timespec* timeout);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int nanosleep(Timespec* req, Timespec* rem);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int setsockopt(SafeHandle sockfd, int level, int optname, void* optval, uint optlen);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int getsockopt(SafeHandle sockfd, int level, int optname, void* optval, uint* optlen);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int open(string pathname, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint read(int fd, byte* buf, nint count);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int fcntl(int fd, int command, int argument);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int statx(int dirfd, string pathname, int flags, uint mask, out Statx statxbuf);

    /// <summary>Every field of struct stat for <paramref name="path"/>, following symlinks; false (errno kept) when it cannot be examined.</summary>
    public static bool TryStat(string path, out Statx stat) => statx(AT_FDCWD, path, 0, STATX_BASIC_STATS, out stat) == 0;

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int access(string pathname, int mode);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int open_by_handle_at(int mountFd, KernfsFileHandle* handle, int flags);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial nint readlink(string pathname, byte* buffer, nint size);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int clock_gettime(int clockid, out Timespec tp);

    /// <summary>Formats a printf-style message whose arguments come as a va_list (libbpf's log callback passes one on).</summary>
    [LibraryImport(Library)]
    public static partial int vsnprintf(byte* buffer, nuint size, byte* format, nint arguments);

    [LibraryImport(Library)]
    public static partial nint sysconf(int name);

    // gettid(2): glog prints the kernel thread id, not a managed one.
    [LibraryImport(Library)]
    public static partial int gettid();

    [LibraryImport(Library)]
    public static partial int posix_spawn(int* pid, byte* path, void* fileActions, void* attributes, byte** argv, byte** envp);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int waitpid(int pid, int* status, int options);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int execvp(byte* file, byte** argv);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int setenv(string name, string value, int overwrite);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int unsetenv(string name);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int getifaddrs(IfAddrs** ifap);

    [LibraryImport(Library)]
    public static partial void freeifaddrs(IfAddrs* ifa);

    [LibraryImport(Library)]
    public static partial int getnameinfo(byte* sa, uint salen, byte* host, uint hostlen, byte* serv, uint servlen, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int ioctl(int fd, nuint request, void* argp);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int statfs(string path, out StatFs buf);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int uname(out UtsName buf);

    [LibraryImport(Library)]
    public static partial Tm* localtime_r(long* timep, Tm* result);

    /// <summary><c>struct timeval</c> as SO_RCVTIMEO takes it on 64-bit (include/uapi/linux/time_types.h __kernel_old_timeval).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct TimeVal
    {
        public long tv_sec;
        public long tv_usec;
    }

    /// <summary>struct iovec (include/uapi/linux/uio.h), 16 bytes on 64-bit.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public void* iov_base;
        public nuint iov_len;
    }

    /// <summary>struct user_msghdr (include/linux/socket.h), 56 bytes on 64-bit.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MsgHdr
    {
        public void* msg_name;
        public uint msg_namelen;
        public IoVec* msg_iov;
        public nuint msg_iovlen;
        public void* msg_control;
        public nuint msg_controllen;
        public int msg_flags;
    }

    /// <summary>struct mmsghdr (include/linux/socket.h), 64 bytes on 64-bit: one message of recvmmsg and its length.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MMsgHdr
    {
        public MsgHdr msg_hdr;
        public uint msg_len;
    }

    /// <summary>struct timespec (include/uapi/linux/time_types.h, __kernel_timespec on 64-bit).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Timespec
    {
        public long tv_sec;
        public long tv_nsec;
    }

    /// <summary>struct statx_timestamp (include/uapi/linux/stat.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct StatxTimestamp
    {
        public long tv_sec;
        public uint tv_nsec;
        public int __reserved;
    }

    /// <summary>
    /// struct statx (include/uapi/linux/stat.h): unlike struct stat its layout is the same on every architecture.
    /// Only the fields up to stx_dev_minor are named; the rest of the kernel's 256 bytes is kept as padding.
    /// </summary>
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    public struct Statx
    {
        public uint stx_mask;
        public uint stx_blksize;
        public ulong stx_attributes;
        public uint stx_nlink;
        public uint stx_uid;
        public uint stx_gid;
        public ushort stx_mode;
        public ushort __spare0;
        public ulong stx_ino;
        public ulong stx_size;
        public ulong stx_blocks;
        public ulong stx_attributes_mask;
        public StatxTimestamp stx_atime;
        public StatxTimestamp stx_btime;
        public StatxTimestamp stx_ctime;
        public StatxTimestamp stx_mtime;
        public uint stx_rdev_major;
        public uint stx_rdev_minor;
        public uint stx_dev_major;
        public uint stx_dev_minor;
    }

    /// <summary>struct file_handle (fcntl.h) with the 8 bytes of a kernfs handle: a cgroup's id (FILEID_KERNFS).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct KernfsFileHandle
    {
        public uint handle_bytes;
        public int handle_type;
        public ulong id;
    }

    /// <summary>struct ifaddrs (ifaddrs.h), 56 bytes on 64-bit; <c>ifa_ifu</c> is the broadcast or point-to-point address.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct IfAddrs
    {
        public IfAddrs* ifa_next;
        public byte* ifa_name;
        public uint ifa_flags;
        public byte* ifa_addr;
        public byte* ifa_netmask;
        public byte* ifa_ifu;
        public void* ifa_data;
    }

    /// <summary>
    /// The first ten counters of struct rtnl_link_stats (include/uapi/linux/if_link.h), which glibc's getifaddrs
    /// copies into ifa_data of an AF_PACKET entry; the rest of the struct is not read.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct RtnlLinkStats
    {
        public uint rx_packets;
        public uint tx_packets;
        public uint rx_bytes;
        public uint tx_bytes;
        public uint rx_errors;
        public uint tx_errors;
        public uint rx_dropped;
        public uint tx_dropped;
        public uint multicast;
        public uint collisions;
    }

    /// <summary>struct ifreq (include/uapi/linux/if.h), 40 bytes on 64-bit: the name, then the 24-byte union ifr_ifru.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 40)]
    public unsafe struct IfReq
    {
        [FieldOffset(0)]
        public fixed byte ifr_name[IFNAMSIZ];

        /// <summary>ifr_mtu and ifr_metric.</summary>
        [FieldOffset(IFNAMSIZ)]
        public int ifr_int;

        /// <summary>ifr_hwaddr.sa_family: the link type (ARPHRD_*).</summary>
        [FieldOffset(IFNAMSIZ)]
        public ushort ifr_hwaddr_family;

        /// <summary>ifr_hwaddr.sa_data: the hardware address.</summary>
        [FieldOffset(IFNAMSIZ + 2)]
        public fixed byte ifr_hwaddr_data[14];

        [FieldOffset(IFNAMSIZ)]
        public void* ifr_data;
    }

    /// <summary>struct ethtool_cmd (include/uapi/linux/ethtool.h), 44 bytes: ETHTOOL_GSET's answer.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct EthtoolCmd
    {
        public uint cmd;
        public uint supported;
        public uint advertising;
        public ushort speed;
        public byte duplex;
        public byte port;
        public byte phy_address;
        public byte transceiver;
        public byte autoneg;
        public byte mdio_support;
        public uint maxtxpkt;
        public uint maxrxpkt;
        public ushort speed_hi;
        public byte eth_tp_mdix;
        public byte eth_tp_mdix_ctrl;
        public uint lp_advertising;
        public uint reserved0;
        public uint reserved1;
    }

    /// <summary>struct ethtool_drvinfo (include/uapi/linux/ethtool.h), 196 bytes: ETHTOOL_GDRVINFO's answer.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct EthtoolDrvInfo
    {
        public uint cmd;
        public fixed byte driver[32];
        public fixed byte version[32];
        public fixed byte fw_version[32];
        public fixed byte bus_info[32];
        public fixed byte erom_version[32];
        public fixed byte reserved2[12];
        public uint n_priv_flags;
        public uint n_stats;
        public uint testinfo_len;
        public uint eedump_len;
        public uint regdump_len;
    }

    /// <summary>struct statfs (bits/statfs.h on 64-bit, the generic layout of x86_64 and aarch64), 120 bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct StatFs
    {
        public long f_type;
        public long f_bsize;
        public ulong f_blocks;
        public ulong f_bfree;
        public ulong f_bavail;
        public ulong f_files;
        public ulong f_ffree;
        public long f_fsid;
        public long f_namelen;
        public long f_frsize;
        public long f_flags;
        public fixed long f_spare[4];
    }

    /// <summary>struct utsname (sys/utsname.h): six NUL-terminated fields of _UTSNAME_LENGTH (65) bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct UtsName
    {
        public const int FieldLength = 65;

        public fixed byte sysname[FieldLength];
        public fixed byte nodename[FieldLength];
        public fixed byte release[FieldLength];
        public fixed byte version[FieldLength];
        public fixed byte machine[FieldLength];
        public fixed byte domainname[FieldLength];
    }

    /// <summary>struct tm (bits/types/struct_tm.h, glibc on 64-bit), 56 bytes; tm_zone is the zone's abbreviation.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct Tm
    {
        public int tm_sec;
        public int tm_min;
        public int tm_hour;
        public int tm_mday;
        public int tm_mon;
        public int tm_year;
        public int tm_wday;
        public int tm_yday;
        public int tm_isdst;
        public long tm_gmtoff;
        public byte* tm_zone;
    }
}
