namespace Vigil.Netlink;

/// <summary>How Vigil reads records from the kernel.</summary>
public enum AuditSocketType
{
    /// <summary>Multicast when another live process owns the audit pid and configuration is not allowed, else unicast.</summary>
    Auto,

    /// <summary>Become the audit pid and receive every record (the kernel waits for this reader).</summary>
    Unicast,

    /// <summary>Join AUDIT_NLGRP_READLOG next to whoever owns the pid; best effort, records may be lost.</summary>
    Multicast,
}
