namespace Vigil.Netlink;

/// <summary>AUDIT_FEATURE_BITMAP_* bits of <c>audit_status.feature_bitmap</c> (include/uapi/linux/audit.h:351).</summary>
[Flags]
public enum AuditFeatureBitmap : uint
{
    /// <summary>No feature reported.</summary>
    None = 0,

    /// <summary>AUDIT_FEATURE_BITMAP_BACKLOG_LIMIT.</summary>
    BacklogLimit = 0x01,

    /// <summary>AUDIT_FEATURE_BITMAP_BACKLOG_WAIT_TIME.</summary>
    BacklogWaitTime = 0x02,

    /// <summary>AUDIT_FEATURE_BITMAP_EXECUTABLE_PATH.</summary>
    ExecutablePath = 0x04,

    /// <summary>AUDIT_FEATURE_BITMAP_EXCLUDE_EXTEND.</summary>
    ExcludeExtend = 0x08,

    /// <summary>AUDIT_FEATURE_BITMAP_SESSIONID_FILTER.</summary>
    SessionIdFilter = 0x10,

    /// <summary>AUDIT_FEATURE_BITMAP_LOST_RESET.</summary>
    LostReset = 0x20,

    /// <summary>AUDIT_FEATURE_BITMAP_FILTER_FS.</summary>
    FilterFs = 0x40,
}
