namespace Vigil.Netlink;

/// <summary>Comparison operators stored in <c>audit_rule_data.fieldflags</c> (include/uapi/linux/audit.h:318).</summary>
public enum AuditOperator : uint
{
    /// <summary>AUDIT_BIT_MASK: <c>&amp;</c>.</summary>
    BitMask = 0x08000000,

    /// <summary>AUDIT_LESS_THAN: <c>&lt;</c>.</summary>
    LessThan = 0x10000000,

    /// <summary>AUDIT_GREATER_THAN: <c>&gt;</c>.</summary>
    GreaterThan = 0x20000000,

    /// <summary>AUDIT_NOT_EQUAL: <c>!=</c>.</summary>
    NotEqual = 0x30000000,

    /// <summary>AUDIT_EQUAL: <c>=</c>.</summary>
    Equal = 0x40000000,

    /// <summary>AUDIT_BIT_TEST: <c>&amp;=</c>.</summary>
    BitTest = 0x48000000,

    /// <summary>AUDIT_LESS_THAN_OR_EQUAL: <c>&lt;=</c>.</summary>
    LessThanOrEqual = 0x50000000,

    /// <summary>AUDIT_GREATER_THAN_OR_EQUAL: <c>&gt;=</c>.</summary>
    GreaterThanOrEqual = 0x60000000,
}
