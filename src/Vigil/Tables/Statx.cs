using System.Runtime.InteropServices;

namespace Vigil.Tables;

/// <summary>struct statx_timestamp (include/uapi/linux/stat.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct StatxTimestamp
{
    public long tv_sec;
    public uint tv_nsec;
    public int __reserved;
}

/// <summary>
/// struct statx (include/uapi/linux/stat.h): unlike struct stat its layout is the same on every architecture.
/// Only the fields up to stx_mtime are named; the rest of the kernel's 256 bytes is kept as padding.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 256)]
internal struct Statx
{
    /// <summary>STATX_BASIC_STATS: every field of struct stat.</summary>
    public const uint StatxBasicStats = 0x7ff;

    /// <summary>AT_FDCWD (include/uapi/linux/fcntl.h).</summary>
    public const int AtFdcwd = -100;

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
}
