namespace Vigil.Netlink;

/// <summary>AUDIT_STATUS_* bits of <c>audit_status.mask</c> (include/uapi/linux/audit.h:342).</summary>
[Flags]
public enum AuditStatusMask : uint
{
    /// <summary>No field.</summary>
    None = 0,

    /// <summary>AUDIT_STATUS_ENABLED.</summary>
    Enabled = 0x0001,

    /// <summary>AUDIT_STATUS_FAILURE.</summary>
    Failure = 0x0002,

    /// <summary>AUDIT_STATUS_PID.</summary>
    Pid = 0x0004,

    /// <summary>AUDIT_STATUS_RATE_LIMIT.</summary>
    RateLimit = 0x0008,

    /// <summary>AUDIT_STATUS_BACKLOG_LIMIT.</summary>
    BacklogLimit = 0x0010,

    /// <summary>AUDIT_STATUS_BACKLOG_WAIT_TIME.</summary>
    BacklogWaitTime = 0x0020,

    /// <summary>AUDIT_STATUS_LOST: resets the lost counter.</summary>
    Lost = 0x0040,

    /// <summary>AUDIT_STATUS_BACKLOG_WAIT_TIME_ACTUAL: resets the wait-time counter.</summary>
    BacklogWaitTimeActual = 0x0080,
}
