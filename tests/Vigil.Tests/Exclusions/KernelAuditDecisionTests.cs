using Vigil.Netlink;
using Xunit;

namespace Vigil.Tests.Exclusions;

public sealed class KernelAuditDecisionTests
{
    private static KernelAuditDecision Decide(AuditSocketType type, bool allowConfig, uint enabled, uint liveOwner) =>
        KernelAuditDecision.Make(new KernelAuditOptions { SocketType = type, AllowConfig = allowConfig }, new AuditStatus { Enabled = enabled }, liveOwner);

    [Theory]
    [InlineData(AuditSocketType.Auto, false, 0u, false)]
    [InlineData(AuditSocketType.Auto, true, 0u, false)]
    [InlineData(AuditSocketType.Auto, true, 812u, false)]
    [InlineData(AuditSocketType.Auto, false, 812u, true)]
    [InlineData(AuditSocketType.Unicast, false, 812u, false)]
    [InlineData(AuditSocketType.Multicast, true, 0u, true)]
    public void Auto_reads_multicast_only_next_to_a_live_owner_without_config(AuditSocketType type, bool allowConfig, uint owner, bool multicast)
    {
        Assert.Equal(multicast, Decide(type, allowConfig, 1, owner).Multicast);
    }

    [Fact]
    public void A_live_owner_is_named_when_reading_multicast()
    {
        var decision = Decide(AuditSocketType.Auto, false, 1, 812);

        Assert.False(decision.Configure);
        Assert.Equal(["the audit socket is owned by pid 812; reading in multicast mode"], decision.Notes);
    }

    [Theory]
    [InlineData(0u, true)]
    [InlineData(1u, true)]
    [InlineData(2u, false)]
    public void An_immutable_kernel_is_only_read(uint enabled, bool configure)
    {
        var decision = Decide(AuditSocketType.Auto, true, enabled, 0);

        Assert.Equal(configure, decision.Configure);
        Assert.False(decision.Multicast);
        Assert.Equal(
            enabled == 2 ? ["audit is immutable (enabled 2): rules and settings cannot change until reboot; reading only"] : [],
            decision.Notes);
    }
}
