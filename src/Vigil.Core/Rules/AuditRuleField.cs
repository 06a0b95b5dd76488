using Vigil.KernelAbi;

namespace Vigil.Rules;

/// <summary>One <c>-F field op value</c> of a rule: a number, or text for string fields (path, dir, exe, key, subj_*, obj_*).</summary>
/// <param name="Field">The field id.</param>
/// <param name="Operator">The comparison.</param>
/// <param name="Value">The numeric value; for string fields the kernel's length, filled in by the encoder.</param>
/// <param name="Text">The string value of a string field, null for numeric fields.</param>
public readonly record struct AuditRuleField(AuditField Field, AuditOperator Operator, uint Value, string? Text = null)
{
    /// <summary>A numeric field.</summary>
    public static AuditRuleField Number(AuditField field, AuditOperator op, uint value) => new(field, op, value);

    /// <summary>A string field; its length is stored in the value.</summary>
    public static AuditRuleField String(AuditField field, AuditOperator op, string text) =>
        new(field, op, (uint)System.Text.Encoding.UTF8.GetByteCount(text), text);

    /// <summary>Whether the kernel stores this field's value as bytes in <c>buf</c> (audit_data_to_entry, kernel/auditfilter.c).</summary>
    public static bool IsStringField(AuditField field) => field switch
    {
        >= AuditField.SubjUser and <= AuditField.SubjClr => true,
        >= AuditField.ObjUser and <= AuditField.ObjLevHigh => true,
        AuditField.Watch or AuditField.Dir or AuditField.Exe or AuditField.FilterKey => true,
        _ => false,
    };
}
