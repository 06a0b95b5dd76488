using Vigil.Netlink;

namespace Vigil.Rules;

/// <summary>The rule requests of <see cref="AuditClient"/> in terms of <see cref="AuditRule"/>: the transport carries bytes only.</summary>
public static class AuditClientRules
{
    /// <summary>AUDIT_LIST_RULES decoded.</summary>
    public static List<AuditRule> ListRules(this AuditClient client)
    {
        var data = client.ListRuleData();
        var rules = new List<AuditRule>(data.Count);
        foreach (var rule in data)
        {
            rules.Add(AuditRule.Decode(rule));
        }

        return rules;
    }

    /// <summary>AUDIT_ADD_RULE; EEXIST when the same rule is already present.</summary>
    public static void AddRule(this AuditClient client, AuditRule rule) => client.AddRule(rule.Encode());

    /// <summary>AUDIT_DEL_RULE; ENOENT when no such rule exists.</summary>
    public static void DeleteRule(this AuditClient client, AuditRule rule) => client.DeleteRule(rule.Encode());

    /// <summary>
    /// AUDIT_DEL_RULE with encoded <c>audit_rule_data</c>. AUDIT_FILTER_PREPEND is cleared first: the kernel
    /// does not keep it on stored rules, and a request carrying it matches none.
    /// </summary>
    public static void DeleteRule(this AuditClient client, ReadOnlySpan<byte> ruleData)
    {
        var data = ruleData.ToArray();
        AuditRule.SetPrepended(data, prepend: false);
        client.DeleteRuleData(data);
    }
}
