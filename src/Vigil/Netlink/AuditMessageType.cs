namespace Vigil.Netlink;

/// <summary>The audit netlink message types this client sends or filters (include/uapi/linux/audit.h:54).</summary>
public static class AuditMessageType
{
    /// <summary>AUDIT_GET: get status.</summary>
    public const ushort Get = 1000;

    /// <summary>AUDIT_SET: set status.</summary>
    public const ushort Set = 1001;

    /// <summary>AUDIT_ADD_RULE: add a syscall filtering rule.</summary>
    public const ushort AddRule = 1011;

    /// <summary>AUDIT_DEL_RULE: delete a syscall filtering rule.</summary>
    public const ushort DeleteRule = 1012;

    /// <summary>AUDIT_LIST_RULES: list rules, one message each, then NLMSG_DONE.</summary>
    public const ushort ListRules = 1013;

    /// <summary>AUDIT_GET_FEATURE: get the audit_features settings.</summary>
    public const ushort GetFeature = 1019;

    /// <summary>First control reply type; 1000-1099 are replies to requests, not records.</summary>
    public const ushort FirstControl = 1000;

    /// <summary>Last control reply type.</summary>
    public const ushort LastControl = 1099;

    /// <summary>The name of a request type for messages and exceptions.</summary>
    public static string NameOf(ushort type) => type switch
    {
        Get => "AUDIT_GET",
        Set => "AUDIT_SET",
        AddRule => "AUDIT_ADD_RULE",
        DeleteRule => "AUDIT_DEL_RULE",
        ListRules => "AUDIT_LIST_RULES",
        GetFeature => "AUDIT_GET_FEATURE",
        _ => type.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
