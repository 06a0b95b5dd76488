using Vigil.Netlink;

namespace Vigil.Kernel;

/// <summary>
/// How a session starts given the kernel state it found: which socket reads and whether Vigil configures the kernel,
/// with the sentences that explain it.
/// </summary>
/// <param name="Multicast">Read as a multicast listener instead of becoming the audit pid.</param>
/// <param name="Configure">Set the audit settings and install rules.</param>
/// <param name="Notes">Plain sentences about the decision, for the status log.</param>
public sealed record KernelAuditDecision(bool Multicast, bool Configure, IReadOnlyList<string> Notes)
{
    /// <summary>
    /// Auto reads multicast beside another live process owning the audit pid (auditd, typically) and then leaves the
    /// owner's rules and settings alone even when Vigil may configure audit: taking the socket or adding rules would
    /// fight the owner for it. Without a live owner auto is unicast. An immutable kernel (enabled 2) is only read.
    /// </summary>
    /// <param name="options">What the flags allow.</param>
    /// <param name="found">The status read at start.</param>
    /// <param name="liveOwner">The pid of a live process other than Vigil owning the audit socket, 0 when none.</param>
    public static KernelAuditDecision Make(KernelAuditOptions options, in AuditStatus found, uint liveOwner)
    {
        var besideOwner = options.SocketType == AuditSocketType.Auto && liveOwner != 0;
        var multicast = options.SocketType switch
        {
            AuditSocketType.Multicast => true,
            AuditSocketType.Unicast => false,
            _ => besideOwner,
        };
        var immutable = found.Enabled == 2;
        var notes = new List<string>(2);
        if (immutable)
        {
            notes.Add("audit is immutable (enabled 2): rules and settings cannot change until reboot; reading only");
        }

        if (multicast && liveOwner != 0)
        {
            notes.Add(besideOwner && options.AllowConfig
                ? $"the audit socket is owned by pid {liveOwner}; reading in multicast mode, its rules and settings left alone (--audit_socket_type=unicast takes the socket)"
                : $"the audit socket is owned by pid {liveOwner}; reading in multicast mode");
        }

        return new KernelAuditDecision(multicast, options.AllowConfig && !immutable && !besideOwner, notes);
    }
}
