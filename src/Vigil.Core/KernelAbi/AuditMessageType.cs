namespace Vigil.KernelAbi;

/// <summary>
/// The audit netlink command types (include/uapi/linux/audit.h, AuditMessageType.g.cs written by
/// tools/gen-kernel-abi.sh) and the block they share.
/// </summary>
public static partial class AuditMessageType
{
    /// <summary>First control reply type; the header reserves 1000-1099 for commanding the audit system.</summary>
    public const ushort FirstControl = 1000;

    /// <summary>Last control reply type.</summary>
    public const ushort LastControl = 1099;
}
