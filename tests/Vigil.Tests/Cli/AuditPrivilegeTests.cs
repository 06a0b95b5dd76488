using Vigil.Cli;
using Vigil.Flags;
using Xunit;

namespace Vigil.Tests.Cli;

public class AuditPrivilegeTests
{
    private static string Status(string capEff) => $"Name:\tvigil\nUid:\t0\t0\t0\t0\nCapInh:\t0000000000000000\nCapEff:\t{capEff}\nCapBnd:\t000001ffffffffff\n";

    [Theory]
    [InlineData("000001ffffffffff", true)]
    [InlineData("0000000000000000", false)]
    [InlineData("0000000040000000", false)]
    [InlineData("0000002000000000", false)]
    [InlineData("0000002040000000", true)]
    [InlineData("000001dfbeffffff", false)]
    public void HasAuditCapabilities_ReadsCapEffBits30And37(string capEff, bool expected) =>
        Assert.Equal(expected, AuditPrivilege.HasAuditCapabilities(Status(capEff)));

    [Fact]
    public void HasAuditCapabilities_NoCapEffLine_IsFalse() => Assert.False(AuditPrivilege.HasAuditCapabilities("Name:\tx\n"));

    [Fact]
    public void EnsureKernelAccess_FailsOnlyWhenTheKernelIsWanted()
    {
        var none = Status("0000000000000000");
        var parser = FlagParser.ForVigil();
        var wantsKernel = parser.Parse(["--disable_audit=false"]).Values;
        var message = Assert.Throws<CliException>(() => AuditPrivilege.EnsureKernelAccess(wantsKernel, () => none)).Message;
        Assert.Equal("collecting audit events needs root (or CAP_AUDIT_CONTROL and CAP_AUDIT_READ); run as root or use --audit_log_file", message);
        AuditPrivilege.EnsureKernelAccess(wantsKernel, () => Status("0000002040000000"));
        AuditPrivilege.EnsureKernelAccess(parser.Parse(["--disable_audit=false", "--audit_log_file=/a.log"]).Values, () => none);
        AuditPrivilege.EnsureKernelAccess(FlagValues.Defaults, () => none);
    }
}
