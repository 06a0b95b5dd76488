using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Vigil.Netlink;

/// <summary>
/// <c>struct audit_features</c> (include/uapi/linux/audit.h:483), the reply to AUDIT_GET_FEATURE. Bit
/// AUDIT_FEATURE_ONLY_UNSET_LOGINUID (0) and AUDIT_FEATURE_LOGINUID_IMMUTABLE (1) of each mask.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct AuditFeatures
{
    /// <summary>sizeof(struct audit_features).</summary>
    public const int Size = 16;

    /// <summary>AUDIT_FEATURE_LOGINUID_IMMUTABLE as a bit of <see cref="Features"/> and <see cref="Lock"/>.</summary>
    public const uint LoginUidImmutable = 1u << 1;

    /// <summary>vers: AUDIT_FEATURE_VERSION (1).</summary>
    public uint Version;

    /// <summary>mask: which features a set request deals with.</summary>
    public uint Mask;

    /// <summary>features: the enabled features.</summary>
    public uint Features;

    /// <summary>lock: the features that can no longer change.</summary>
    public uint Lock;

    /// <summary>Reads a reply payload; missing trailing fields stay 0.</summary>
    public static AuditFeatures Read(ReadOnlySpan<byte> payload)
    {
        Span<byte> full = stackalloc byte[Size];
        full.Clear();
        payload[..Math.Min(payload.Length, Size)].CopyTo(full);
        return new AuditFeatures
        {
            Version = BinaryPrimitives.ReadUInt32LittleEndian(full),
            Mask = BinaryPrimitives.ReadUInt32LittleEndian(full[4..]),
            Features = BinaryPrimitives.ReadUInt32LittleEndian(full[8..]),
            Lock = BinaryPrimitives.ReadUInt32LittleEndian(full[12..]),
        };
    }
}
