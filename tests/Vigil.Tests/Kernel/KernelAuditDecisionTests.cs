using Vigil.Kernel;
using Vigil.Netlink;
using Xunit;

namespace Vigil.Tests.Kernel;

public sealed class KernelAuditDecisionTests
{
    private static KernelAuditDecision Decide(AuditSocketType type, bool allowConfig, uint enabled, uint liveOwner) =>
        KernelAuditDecision.Make(new KernelAuditOptions { SocketType = type, AllowConfig = allowConfig }, new AuditStatus { Enabled = enabled }, liveOwner);

    [Theory]
    [InlineData(AuditSocketType.Auto, false, 0u, false)]
    [InlineData(AuditSocketType.Auto, true, 0u, false)]
    [InlineData(AuditSocketType.Auto, true, 812u, true)]
    [InlineData(AuditSocketType.Auto, false, 812u, true)]
    [InlineData(AuditSocketType.Unicast, false, 812u, false)]
    [InlineData(AuditSocketType.Unicast, true, 812u, false)]
    [InlineData(AuditSocketType.Multicast, true, 0u, true)]
    public void Auto_reads_multicast_next_to_a_live_owner(AuditSocketType type, bool allowConfig, uint owner, bool multicast)
    {
        Assert.Equal(multicast, Decide(type, allowConfig, 1, owner).Multicast);
    }

    [Theory]
    [InlineData(AuditSocketType.Auto, 812u, false)]
    [InlineData(AuditSocketType.Auto, 0u, true)]
    [InlineData(AuditSocketType.Unicast, 812u, true)]
    [InlineData(AuditSocketType.Multicast, 812u, true)]
    public void Auto_leaves_a_live_owners_configuration_alone_even_when_allowed(AuditSocketType type, uint owner, bool configure)
    {
        Assert.Equal(configure, Decide(type, true, 1, owner).Configure);
    }

    [Fact]
    public void Beside_a_live_owner_with_config_allowed_the_note_says_what_is_left_alone()
    {
        Assert.Equal(
            ["the audit socket is owned by pid 812; reading in multicast mode, its rules and settings left alone (--audit_socket_type=unicast takes the socket)"],
            Decide(AuditSocketType.Auto, true, 1, 812).Notes);
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
