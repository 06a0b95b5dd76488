namespace Vigil.Netlink;

/// <summary>AUDIT_FILTER_* lists a rule belongs to (include/uapi/linux/audit.h:165).</summary>
public enum AuditFilterList : uint
{
    /// <summary>AUDIT_FILTER_USER: user-space messages.</summary>
    User = 0,

    /// <summary>AUDIT_FILTER_TASK: task creation.</summary>
    Task = 1,

    /// <summary>AUDIT_FILTER_ENTRY: syscall entry (deprecated).</summary>
    Entry = 2,

    /// <summary>AUDIT_FILTER_WATCH: file system watches.</summary>
    Watch = 3,

    /// <summary>AUDIT_FILTER_EXIT: syscall exit.</summary>
    Exit = 4,

    /// <summary>AUDIT_FILTER_EXCLUDE: before a record is created.</summary>
    Exclude = 5,

    /// <summary>AUDIT_FILTER_FS: __audit_inode_child.</summary>
    Filesystem = 6,

    /// <summary>AUDIT_FILTER_URING_EXIT: io_uring operation exit.</summary>
    UringExit = 7,
}
