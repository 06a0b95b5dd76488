using Vigil.Kernel;
using Vigil.Netlink;
using Xunit;

namespace Vigil.Tests.Kernel;

/// <summary>Snapshots the kernel audit state before the first kernel test and puts it back after the last, even after failures.</summary>
public sealed class KernelAuditFixture : IDisposable
{
    public KernelAuditFixture()
    {
        if (Environment.IsPrivilegedProcess || Environment.GetEnvironmentVariable("CI") == "true")
        {
            using var client = AuditClient.OpenUnicast();
            Snapshot = AuditState.Capture(client);
        }
    }

    /// <summary>The state found before the kernel tests; null when they are skipped.</summary>
    public AuditState? Snapshot { get; }

    /// <summary>Deletes every rule that was not there at the start and restores the settings and pid.</summary>
    public void Restore()
    {
        if (Snapshot is null)
        {
            return;
        }

        using var client = AuditClient.OpenUnicast();
        Snapshot.Restore(client, client.ListRuleData());
    }

    public void Dispose() => Restore();
}

[CollectionDefinition("Kernel")]
public sealed class KernelCollection : ICollectionFixture<KernelAuditFixture>
{
}
