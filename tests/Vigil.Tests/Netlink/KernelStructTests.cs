using System.Runtime.InteropServices;
using Vigil.KernelAbi;
using Vigil.Netlink;
using Xunit;

namespace Vigil.Tests.Netlink;

public class KernelStructTests
{
    [Fact]
    public void Sizes_match_the_kernel_headers()
    {
        Assert.Equal(16, Marshal.SizeOf<NlMsgHdr>());
        Assert.Equal(12, Marshal.SizeOf<SockAddrNl>());
        Assert.Equal(44, Marshal.SizeOf<AuditStatus>());
        Assert.Equal(16, Marshal.SizeOf<AuditFeatures>());
    }

    [Theory]
    [InlineData(nameof(NlMsgHdr.nlmsg_len), 0)]
    [InlineData(nameof(NlMsgHdr.nlmsg_type), 4)]
    [InlineData(nameof(NlMsgHdr.nlmsg_flags), 6)]
    [InlineData(nameof(NlMsgHdr.nlmsg_seq), 8)]
    [InlineData(nameof(NlMsgHdr.nlmsg_pid), 12)]
    public void Nlmsghdr_offsets(string field, int offset) =>
        Assert.Equal(offset, (int)Marshal.OffsetOf<NlMsgHdr>(field));

    [Theory]
    [InlineData(nameof(SockAddrNl.nl_family), 0)]
    [InlineData(nameof(SockAddrNl.nl_pad), 2)]
    [InlineData(nameof(SockAddrNl.nl_pid), 4)]
    [InlineData(nameof(SockAddrNl.nl_groups), 8)]
    public void Sockaddr_nl_offsets(string field, int offset) =>
        Assert.Equal(offset, (int)Marshal.OffsetOf<SockAddrNl>(field));

    [Theory]
    [InlineData(nameof(AuditStatus.Mask), 0)]
    [InlineData(nameof(AuditStatus.Enabled), 4)]
    [InlineData(nameof(AuditStatus.Failure), 8)]
    [InlineData(nameof(AuditStatus.Pid), 12)]
    [InlineData(nameof(AuditStatus.RateLimit), 16)]
    [InlineData(nameof(AuditStatus.BacklogLimit), 20)]
    [InlineData(nameof(AuditStatus.Lost), 24)]
    [InlineData(nameof(AuditStatus.Backlog), 28)]
    [InlineData(nameof(AuditStatus.FeatureBitmap), 32)]
    [InlineData(nameof(AuditStatus.BacklogWaitTime), 36)]
    [InlineData(nameof(AuditStatus.BacklogWaitTimeActual), 40)]
    public void Audit_status_offsets(string field, int offset) =>
        Assert.Equal(offset, (int)Marshal.OffsetOf<AuditStatus>(field));

    [Fact]
    public void Audit_status_writes_each_field_at_its_offset()
    {
        var status = new AuditStatus
        {
            Mask = AuditStatusMask.Pid | AuditStatusMask.BacklogLimit, Enabled = 1, Failure = 2, Pid = 1234,
            RateLimit = 5, BacklogLimit = 4096, Lost = 7, Backlog = 8, FeatureBitmap = (AuditFeatureBitmap)0x7f,
            BacklogWaitTime = 60000, BacklogWaitTimeActual = 11,
        };
        var bytes = new byte[AuditStatus.Size];
        status.Write(bytes);

        Assert.Equal(
            Convert.FromHexString("14000000" + "01000000" + "02000000" + "D2040000" + "05000000" + "00100000"
                + "07000000" + "08000000" + "7F000000" + "60EA0000" + "0B000000"),
            bytes);
        Assert.Equal(status, AuditStatus.Read(bytes));
    }

    [Fact]
    public void Audit_status_from_an_older_kernel_leaves_missing_fields_zero()
    {
        var bytes = new byte[AuditStatus.Size];
        new AuditStatus { Enabled = 1, BacklogLimit = 320, FeatureBitmap = AuditFeatureBitmap.BacklogLimit, BacklogWaitTime = 9, BacklogWaitTimeActual = 4 }.Write(bytes);

        var status = AuditStatus.Read(bytes.AsSpan(0, 36));

        Assert.Equal(1u, status.Enabled);
        Assert.Equal(320u, status.BacklogLimit);
        Assert.Equal(AuditFeatureBitmap.BacklogLimit, status.FeatureBitmap);
        Assert.Equal(0u, status.BacklogWaitTime);
        Assert.Equal(0u, status.BacklogWaitTimeActual);
    }

    [Fact]
    public void Nlmsghdr_round_trips_little_endian()
    {
        var header = new NlMsgHdr { nlmsg_len = 0x34, nlmsg_type = 1000, nlmsg_flags = 5, nlmsg_seq = 9, nlmsg_pid = 0x01020304 };
        var bytes = new byte[NlMsgHdr.Size];
        header.Write(bytes);

        Assert.Equal(Convert.FromHexString("34000000" + "E803" + "0500" + "09000000" + "04030201"), bytes);
        Assert.Equal(header, NlMsgHdr.Read(bytes));
    }
}
