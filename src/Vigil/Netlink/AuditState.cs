namespace Vigil.Netlink;

/// <summary>
/// The kernel audit settings and rules as found before Vigil changed anything, and the way back to them:
/// only rules Vigil added are deleted (matched by their encoded bytes), and the settings are written back.
/// </summary>
public sealed class AuditState
{
    private const AuditStatusMask RestoredFields = AuditStatusMask.Enabled | AuditStatusMask.Failure
        | AuditStatusMask.RateLimit | AuditStatusMask.BacklogLimit | AuditStatusMask.BacklogWaitTime;

    private AuditState(AuditStatus status, IReadOnlyList<byte[]> rules)
    {
        Status = status;
        Rules = rules;
    }

    /// <summary>The status at capture time.</summary>
    public AuditStatus Status { get; }

    /// <summary>Each rule's <c>audit_rule_data</c> at capture time, in kernel order.</summary>
    public IReadOnlyList<byte[]> Rules { get; }

    /// <summary>Reads the status and rule list.</summary>
    public static AuditState Capture(AuditClient client) => new(client.GetStatus(), client.ListRuleData());

    /// <summary>
    /// Deletes the rules in <paramref name="addedRules"/> that are present and were not there at capture, writes
    /// back enabled, failure, rate_limit, backlog_limit and backlog_wait_time, then gives up the audit pid when
    /// this process holds it and did not at capture (a pid of another process cannot be handed back).
    /// </summary>
    public void Restore(AuditClient client, IEnumerable<byte[]> addedRules)
    {
        foreach (var present in client.ListRuleData())
        {
            if (Contains(addedRules, present) && !Contains(Rules, present))
            {
                client.DeleteRule(present);
            }
        }

        var now = client.GetStatus();
        if (now.Enabled != 2 && !SameSettings(now))
        {
            var restored = Status;
            restored.Mask = RestoredFields;
            client.SetStatus(restored);
        }

        var self = (uint)Environment.ProcessId;
        if (now.Pid == self && Status.Pid != self)
        {
            client.SetPid(0);
        }
    }

    /// <summary>Whether <paramref name="status"/> has the captured settings and pid, and the kernel holds the captured rules.</summary>
    public bool Matches(AuditStatus status, IReadOnlyList<byte[]> rules)
    {
        if (!SameSettings(status) || status.Pid != Status.Pid || rules.Count != Rules.Count)
        {
            return false;
        }

        for (var i = 0; i < rules.Count; i++)
        {
            if (!AuditRule.SameEncoding(rules[i], Rules[i]))
            {
                return false;
            }
        }

        return true;
    }

    private bool SameSettings(in AuditStatus now) =>
        now.Enabled == Status.Enabled && now.Failure == Status.Failure && now.RateLimit == Status.RateLimit
        && now.BacklogLimit == Status.BacklogLimit && now.BacklogWaitTime == Status.BacklogWaitTime;

    private static bool Contains(IEnumerable<byte[]> rules, byte[] rule)
    {
        foreach (var candidate in rules)
        {
            if (AuditRule.SameEncoding(candidate, rule))
            {
                return true;
            }
        }

        return false;
    }
}
