namespace Vigil.Netlink;

/// <summary>AUDIT_NEVER/AUDIT_POSSIBLE/AUDIT_ALWAYS (include/uapi/linux/audit.h:180).</summary>
public enum AuditRuleAction : uint
{
    /// <summary>AUDIT_NEVER: matching syscalls produce no record.</summary>
    Never = 0,

    /// <summary>AUDIT_POSSIBLE: build context, do not log (deprecated).</summary>
    Possible = 1,

    /// <summary>AUDIT_ALWAYS: matching syscalls are logged.</summary>
    Always = 2,
}
