using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Vigil.KernelAbi;

namespace Vigil.Netlink;

/// <summary>
/// <c>struct audit_status</c> (include/uapi/linux/audit.h:464): the kernel's audit settings and counters, as
/// AUDIT_GET returns them and AUDIT_SET takes them (<see cref="Mask"/> selects the fields that apply).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct AuditStatus
{
    /// <summary>sizeof(struct audit_status) on kernels with backlog_wait_time_actual (5.9+).</summary>
    public const int Size = 44;

    /// <summary>mask: which fields AUDIT_SET applies (<see cref="AuditStatusMask"/>).</summary>
    public AuditStatusMask Mask;

    /// <summary>enabled: 0 off, 1 on, 2 on and immutable until reboot.</summary>
    public uint Enabled;

    /// <summary>failure: what the kernel does when it cannot log (0 silent, 1 printk, 2 panic).</summary>
    public uint Failure;

    /// <summary>pid: the process whose socket receives records by unicast (auditd), 0 when none.</summary>
    public uint Pid;

    /// <summary>rate_limit: records per second, 0 for no limit.</summary>
    public uint RateLimit;

    /// <summary>backlog_limit: records queued in the kernel before they are lost.</summary>
    public uint BacklogLimit;

    /// <summary>lost: records the kernel dropped since boot or since the last reset.</summary>
    public uint Lost;

    /// <summary>backlog: records queued now.</summary>
    public uint Backlog;

    /// <summary>feature_bitmap (union with the deprecated version): <see cref="AuditFeatureBitmap"/>.</summary>
    public AuditFeatureBitmap FeatureBitmap;

    /// <summary>backlog_wait_time: jiffies a task waits for room in a full backlog.</summary>
    public uint BacklogWaitTime;

    /// <summary>backlog_wait_time_actual: total time tasks waited (5.9+; 0 from older kernels).</summary>
    public uint BacklogWaitTimeActual;

    /// <summary>Reads a reply payload; older kernels send fewer fields and the missing ones stay 0.</summary>
    public static AuditStatus Read(ReadOnlySpan<byte> payload)
    {
        Span<byte> full = stackalloc byte[Size];
        full.Clear();
        payload[..Math.Min(payload.Length, Size)].CopyTo(full);
        return new AuditStatus
        {
            Mask = (AuditStatusMask)BinaryPrimitives.ReadUInt32LittleEndian(full),
            Enabled = BinaryPrimitives.ReadUInt32LittleEndian(full[4..]),
            Failure = BinaryPrimitives.ReadUInt32LittleEndian(full[8..]),
            Pid = BinaryPrimitives.ReadUInt32LittleEndian(full[12..]),
            RateLimit = BinaryPrimitives.ReadUInt32LittleEndian(full[16..]),
            BacklogLimit = BinaryPrimitives.ReadUInt32LittleEndian(full[20..]),
            Lost = BinaryPrimitives.ReadUInt32LittleEndian(full[24..]),
            Backlog = BinaryPrimitives.ReadUInt32LittleEndian(full[28..]),
            FeatureBitmap = (AuditFeatureBitmap)BinaryPrimitives.ReadUInt32LittleEndian(full[32..]),
            BacklogWaitTime = BinaryPrimitives.ReadUInt32LittleEndian(full[36..]),
            BacklogWaitTimeActual = BinaryPrimitives.ReadUInt32LittleEndian(full[40..]),
        };
    }

    /// <summary>Writes all 44 bytes into <paramref name="destination"/>.</summary>
    public readonly void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)Mask);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], Enabled);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], Failure);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], Pid);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[16..], RateLimit);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[20..], BacklogLimit);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[24..], Lost);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[28..], Backlog);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[32..], (uint)FeatureBitmap);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[36..], BacklogWaitTime);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[40..], BacklogWaitTimeActual);
    }
}
