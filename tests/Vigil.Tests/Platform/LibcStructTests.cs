using System.Runtime.InteropServices;
using Vigil.Platform;
using Vigil.Tests.Store;
using Xunit;

namespace Vigil.Tests.Platform;

/// <summary>The structs libc calls take, against the kernel's uapi headers on x86_64 (offsetof in C).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class LibcStructTests
{
    [Fact]
    public void Sizes_match_the_kernel_headers()
    {
        Assert.Equal(16, Marshal.SizeOf<Libc.TimeVal>());
        Assert.Equal(16, Marshal.SizeOf<Libc.Timespec>());
        Assert.Equal(16, Marshal.SizeOf<Libc.StatxTimestamp>());
        Assert.Equal(256, Marshal.SizeOf<Libc.Statx>());
        Assert.Equal(56, Marshal.SizeOf<Libc.IfAddrs>());
        Assert.Equal(16, Marshal.SizeOf<Libc.KernfsFileHandle>());
        Assert.Equal(8, (int)Marshal.OffsetOf<Libc.KernfsFileHandle>(nameof(Libc.KernfsFileHandle.id)));
        Assert.Equal(40, Marshal.SizeOf<Libc.RtnlLinkStats>());
        Assert.Equal(40, Marshal.SizeOf<Libc.IfReq>());
        Assert.Equal(44, Marshal.SizeOf<Libc.EthtoolCmd>());
        Assert.Equal(196, Marshal.SizeOf<Libc.EthtoolDrvInfo>());
        Assert.Equal(120, Marshal.SizeOf<Libc.StatFs>());
        Assert.Equal(390, Marshal.SizeOf<Libc.UtsName>());
        Assert.Equal(56, Marshal.SizeOf<Libc.Tm>());
        Assert.Equal(16, Marshal.SizeOf<Libc.IoVec>());
        Assert.Equal(56, Marshal.SizeOf<Libc.MsgHdr>());
        Assert.Equal(64, Marshal.SizeOf<Libc.MMsgHdr>());
    }

    [Theory]
    [InlineData(nameof(Libc.MsgHdr.msg_name), 0)]
    [InlineData(nameof(Libc.MsgHdr.msg_namelen), 8)]
    [InlineData(nameof(Libc.MsgHdr.msg_iov), 16)]
    [InlineData(nameof(Libc.MsgHdr.msg_iovlen), 24)]
    [InlineData(nameof(Libc.MsgHdr.msg_control), 32)]
    [InlineData(nameof(Libc.MsgHdr.msg_controllen), 40)]
    [InlineData(nameof(Libc.MsgHdr.msg_flags), 48)]
    [InlineData(nameof(Libc.MMsgHdr.msg_len), 56)]
    [InlineData(nameof(Libc.IoVec.iov_len), 8)]
    public void Msghdr_offsets(string field, int offset) =>
        Assert.Equal(offset, (int)(field == nameof(Libc.MMsgHdr.msg_len) ? Marshal.OffsetOf<Libc.MMsgHdr>(field)
            : field.StartsWith("iov_") ? Marshal.OffsetOf<Libc.IoVec>(field) : Marshal.OffsetOf<Libc.MsgHdr>(field)));

    [Theory]
    [InlineData(nameof(Libc.IfAddrs.ifa_next), 0)]
    [InlineData(nameof(Libc.IfAddrs.ifa_name), 8)]
    [InlineData(nameof(Libc.IfAddrs.ifa_flags), 16)]
    [InlineData(nameof(Libc.IfAddrs.ifa_addr), 24)]
    [InlineData(nameof(Libc.IfAddrs.ifa_netmask), 32)]
    [InlineData(nameof(Libc.IfAddrs.ifa_ifu), 40)]
    [InlineData(nameof(Libc.IfAddrs.ifa_data), 48)]
    public void Ifaddrs_offsets(string field, int offset) =>
        Assert.Equal(offset, (int)Marshal.OffsetOf<Libc.IfAddrs>(field));

    [Theory]
    [InlineData(nameof(Libc.RtnlLinkStats.rx_packets), 0)]
    [InlineData(nameof(Libc.RtnlLinkStats.rx_bytes), 8)]
    [InlineData(nameof(Libc.RtnlLinkStats.rx_dropped), 24)]
    [InlineData(nameof(Libc.RtnlLinkStats.collisions), 36)]
    public void Rtnl_link_stats_offsets(string field, int offset) =>
        Assert.Equal(offset, (int)Marshal.OffsetOf<Libc.RtnlLinkStats>(field));

    [Theory]
    [InlineData(nameof(Libc.IfReq.ifr_name), 0)]
    [InlineData(nameof(Libc.IfReq.ifr_int), 16)]
    [InlineData(nameof(Libc.IfReq.ifr_hwaddr_family), 16)]
    [InlineData(nameof(Libc.IfReq.ifr_hwaddr_data), 18)]
    [InlineData(nameof(Libc.IfReq.ifr_data), 16)]
    public void Ifreq_offsets(string field, int offset) =>
        Assert.Equal(offset, (int)Marshal.OffsetOf<Libc.IfReq>(field));

    [Theory]
    [InlineData(nameof(Libc.EthtoolCmd.speed), 12)]
    [InlineData(nameof(Libc.EthtoolCmd.maxtxpkt), 20)]
    [InlineData(nameof(Libc.EthtoolCmd.speed_hi), 28)]
    [InlineData(nameof(Libc.EthtoolCmd.lp_advertising), 32)]
    [InlineData(nameof(Libc.EthtoolDrvInfo.bus_info), 100)]
    [InlineData(nameof(Libc.EthtoolDrvInfo.n_priv_flags), 176)]
    public void Ethtool_offsets(string field, int offset) =>
        Assert.Equal(offset, (int)(field.StartsWith("speed") || field is "maxtxpkt" or "lp_advertising" ? Marshal.OffsetOf<Libc.EthtoolCmd>(field) : Marshal.OffsetOf<Libc.EthtoolDrvInfo>(field)));

    [Theory]
    [InlineData(nameof(Libc.StatFs.f_bsize), 8)]
    [InlineData(nameof(Libc.StatFs.f_blocks), 16)]
    [InlineData(nameof(Libc.StatFs.f_bavail), 32)]
    [InlineData(nameof(Libc.StatFs.f_ffree), 48)]
    [InlineData(nameof(Libc.StatFs.f_frsize), 72)]
    [InlineData(nameof(Libc.StatFs.f_spare), 88)]
    public void Statfs_offsets(string field, int offset) =>
        Assert.Equal(offset, (int)Marshal.OffsetOf<Libc.StatFs>(field));

    [Theory]
    [InlineData(nameof(Libc.UtsName.machine), 260)]
    [InlineData(nameof(Libc.Tm.tm_isdst), 32)]
    [InlineData(nameof(Libc.Tm.tm_gmtoff), 40)]
    [InlineData(nameof(Libc.Tm.tm_zone), 48)]
    public void Utsname_and_tm_offsets(string field, int offset) =>
        Assert.Equal(offset, (int)(field == "machine" ? Marshal.OffsetOf<Libc.UtsName>(field) : Marshal.OffsetOf<Libc.Tm>(field)));

    [Theory]
    [InlineData(nameof(Libc.TimeVal.tv_sec), 0)]
    [InlineData(nameof(Libc.TimeVal.tv_usec), 8)]
    public void Timeval_offsets(string field, int offset) =>
        Assert.Equal(offset, (int)Marshal.OffsetOf<Libc.TimeVal>(field));

    [Theory]
    [InlineData(nameof(Libc.Timespec.tv_sec), 0)]
    [InlineData(nameof(Libc.Timespec.tv_nsec), 8)]
    public void Timespec_offsets(string field, int offset) =>
        Assert.Equal(offset, (int)Marshal.OffsetOf<Libc.Timespec>(field));

    [Theory]
    [InlineData(nameof(Libc.StatxTimestamp.tv_sec), 0)]
    [InlineData(nameof(Libc.StatxTimestamp.tv_nsec), 8)]
    [InlineData(nameof(Libc.StatxTimestamp.__reserved), 12)]
    public void Statx_timestamp_offsets(string field, int offset) =>
        Assert.Equal(offset, (int)Marshal.OffsetOf<Libc.StatxTimestamp>(field));

    [Theory]
    [InlineData(nameof(Libc.Statx.stx_mask), 0)]
    [InlineData(nameof(Libc.Statx.stx_blksize), 4)]
    [InlineData(nameof(Libc.Statx.stx_attributes), 8)]
    [InlineData(nameof(Libc.Statx.stx_nlink), 16)]
    [InlineData(nameof(Libc.Statx.stx_uid), 20)]
    [InlineData(nameof(Libc.Statx.stx_gid), 24)]
    [InlineData(nameof(Libc.Statx.stx_mode), 28)]
    [InlineData(nameof(Libc.Statx.__spare0), 30)]
    [InlineData(nameof(Libc.Statx.stx_ino), 32)]
    [InlineData(nameof(Libc.Statx.stx_size), 40)]
    [InlineData(nameof(Libc.Statx.stx_blocks), 48)]
    [InlineData(nameof(Libc.Statx.stx_attributes_mask), 56)]
    [InlineData(nameof(Libc.Statx.stx_atime), 64)]
    [InlineData(nameof(Libc.Statx.stx_btime), 80)]
    [InlineData(nameof(Libc.Statx.stx_ctime), 96)]
    [InlineData(nameof(Libc.Statx.stx_mtime), 112)]
    public void Statx_offsets(string field, int offset) =>
        Assert.Equal(offset, (int)Marshal.OffsetOf<Libc.Statx>(field));

    [Fact]
    public void Statx_reads_what_the_kernel_reports_for_a_file()
    {
        using var directory = new TempDirectory();
        var path = directory.File("three-bytes");
        File.WriteAllBytes(path, [1, 2, 3]);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        File.SetLastWriteTimeUtc(path, new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc));

        Assert.Equal(0, Libc.statx(Libc.AT_FDCWD, path, 0, Libc.STATX_BASIC_STATS, out var statx));

        Assert.Equal(Libc.STATX_BASIC_STATS, statx.stx_mask & Libc.STATX_BASIC_STATS);
        Assert.Equal(0x8000 | 0x1A0, (int)statx.stx_mode);
        Assert.Equal(1u, statx.stx_nlink);
        Assert.Equal(3ul, statx.stx_size);
        Assert.Equal(981173106L, statx.stx_mtime.tv_sec);
        Assert.Equal(0u, statx.stx_mtime.tv_nsec);
    }
}
