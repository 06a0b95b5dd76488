using System.Text;
using Vigil.KernelAbi;
using Xunit;

namespace Vigil.Tests.KernelAbi;

public class RecordTypeTests
{
    [Fact]
    public void Names_kept_outside_the_header_are_ones_it_does_not_define()
    {
        var header = RecordType.KernelNames();

        Assert.DoesNotContain(RecordType.UserSpaceNames.Keys, header.ContainsKey);
        Assert.DoesNotContain(RecordType.NewerKernelNames.Keys, header.ContainsKey);
        Assert.DoesNotContain(RecordType.UserSpaceNames.Keys, RecordType.NewerKernelNames.ContainsKey);
    }

    [Fact]
    public void Every_name_fits_the_lookup_buffer_and_reads_back_as_its_type()
    {
        var named = 0;
        for (var type = 1000; type < 3000; type++)
        {
            var name = RecordType.GetName(type);
            if (name.StartsWith("UNKNOWN[", StringComparison.Ordinal))
            {
                continue;
            }

            named++;
            Assert.InRange(name.Length, 1, RecordType.MaxNameLength);
            Assert.True(RecordType.TryGetNumber(Encoding.ASCII.GetBytes(name), out var number), name);
            Assert.Equal(type, number);
        }

        Assert.Equal(RecordType.KernelNames().Count + RecordType.UserSpaceNames.Count + RecordType.NewerKernelNames.Count, named);
    }

    [Theory]
    [InlineData(RecordType.User, "USER")]
    [InlineData(RecordType.Login, "LOGIN")]
    [InlineData(RecordType.UserAvc, "USER_AVC")]
    [InlineData(RecordType.DaemonStart, "DAEMON_START")]
    [InlineData(RecordType.DaemonResume, "DAEMON_RESUME")]
    [InlineData(RecordType.Eoe, "EOE")]
    [InlineData(RecordType.DmEvent, "DM_EVENT")]
    [InlineData(1423, "LANDLOCK_ACCESS")]
    [InlineData(1507, "APPARMOR_KILL")]
    [InlineData(RecordType.AnomCreat, "ANOM_CREAT")]
    [InlineData(RecordType.IntegrityPolicyRule, "INTEGRITY_POLICY_RULE")]
    [InlineData(RecordType.Kernel, "KERNEL")]
    [InlineData(2507, "VIRT_MIGRATE_OUT")]
    [InlineData(AuditMessageType.Get, "UNKNOWN[1000]")]
    public void Header_and_libaudit_types_have_auditd_names(int type, string name) =>
        Assert.Equal(name, RecordType.GetName(type));

    [Theory]
    [InlineData(RecordType.User, true, false)]
    [InlineData(RecordType.Login, false, false)]
    [InlineData(RecordType.UserAuth, true, false)]
    [InlineData(RecordType.DaemonStart, true, true)]
    [InlineData(RecordType.LastDaemon, true, true)]
    [InlineData(RecordType.Syscall, false, false)]
    [InlineData(RecordType.Kernel, true, false)]
    [InlineData(RecordType.FirstUserMsg2, true, false)]
    [InlineData(RecordType.LastUserMsg2, true, false)]
    [InlineData(3000, false, false)]
    [InlineData(RecordType.Bsm, true, false)]
    public void Standalone_and_daemon_ranges(int type, bool standalone, bool daemon)
    {
        Assert.Equal(standalone, RecordType.IsStandalone(type));
        Assert.Equal(daemon, RecordType.IsDaemon(type));
    }

    [Theory]
    [InlineData(AuditMessageType.Get, "AUDIT_GET")]
    [InlineData(AuditMessageType.DelRule, "AUDIT_DEL_RULE")]
    [InlineData(AuditMessageType.GetFeature, "AUDIT_GET_FEATURE")]
    [InlineData(RecordType.Syscall, "1300")]
    public void Command_types_are_named_for_messages(ushort type, string name) =>
        Assert.Equal(name, AuditMessageType.NameOf(type));

    // The look-up compares a name's first eight bytes as one number before its whole: names that share those bytes, or
    // differ only after them or in case, are still told apart.
    [Theory]
    [InlineData("SYSCALL", RecordType.Syscall)]
    [InlineData("SYSCALLS", null)]
    [InlineData("SYSCAL", null)]
    [InlineData("syscall", null)]
    [InlineData("USER_AUTH", RecordType.UserAuth)]
    [InlineData("USER_ACCT", RecordType.UserAcct)]
    [InlineData("USER_AUTX", null)]
    [InlineData("", null)]
    [InlineData("ANOM_ABEND_TOO_LONG_FOR_ANY_NAME_HERE", null)]
    public void A_name_is_found_only_whole(string name, int? expected)
    {
        Assert.Equal(expected is not null, RecordType.TryGetNumber(System.Text.Encoding.ASCII.GetBytes(name), out var type));
        Assert.Equal(expected ?? 0, type);
    }

    // Vigil's BSM record type lies past the 16 bits of a netlink type, so a log line cannot claim it.
    [Theory]
    [InlineData("UNKNOWN[65535]", true)]
    [InlineData("UNKNOWN[65536]", false)]
    public void An_unknown_type_number_stays_within_16_bits(string name, bool parsed)
    {
        Assert.Equal(parsed, RecordType.TryGetNumber(System.Text.Encoding.ASCII.GetBytes(name), out _));
        Assert.True(RecordType.HasOwnSerial(RecordType.Bsm));
    }
}
