using Vigil.KernelAbi;
using Vigil.Netlink;
using Vigil.Rules;

namespace Vigil.Kernel;

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

    /// <summary>The state as bytes (the status struct, then each rule length-prefixed), to survive a crash of Vigil.</summary>
    public byte[] Serialize()
    {
        var status = Status;
        var size = AuditStatus.Size;
        foreach (var rule in Rules)
        {
            size += 4 + rule.Length;
        }

        var bytes = new byte[size];
        System.Runtime.InteropServices.MemoryMarshal.Write(bytes, in status);
        var offset = AuditStatus.Size;
        foreach (var rule in Rules)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(offset), rule.Length);
            rule.CopyTo(bytes, offset + 4);
            offset += 4 + rule.Length;
        }

        return bytes;
    }

    /// <summary>Reads bytes written by <see cref="Serialize"/>; throws <see cref="FormatException"/> when they are not.</summary>
    public static AuditState Deserialize(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < AuditStatus.Size)
        {
            throw new FormatException($"saved audit state is {bytes.Length} bytes, shorter than audit_status");
        }

        var status = System.Runtime.InteropServices.MemoryMarshal.Read<AuditStatus>(bytes);
        var rules = new List<byte[]>();
        var offset = AuditStatus.Size;
        while (offset < bytes.Length)
        {
            var length = offset + 4 <= bytes.Length ? System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(bytes[offset..]) : -1;
            if (length < 0 || length > bytes.Length - offset - 4)
            {
                throw new FormatException($"saved audit state has a truncated rule at byte {offset}");
            }

            rules.Add(bytes.Slice(offset + 4, length).ToArray());
            offset += 4 + length;
        }

        return new AuditState(status, rules);
    }

    /// <summary>Deletes every rule carrying Vigil's key (left by a run that died); returns how many.</summary>
    public static int DeleteVigilRules(AuditClient client)
    {
        var deleted = 0;
        foreach (var data in client.ListRuleData())
        {
            if (IsVigilRule(data))
            {
                client.DeleteRule(data);
                deleted++;
            }
        }

        return deleted;
    }

    /// <summary>Whether an encoded rule has the field <c>key=vigil</c>.</summary>
    public static bool IsVigilRule(ReadOnlySpan<byte> data)
    {
        foreach (var field in AuditRule.Decode(data).Fields)
        {
            if (field.Field == AuditField.FilterKey && field.Text == AuditRule.VigilKey)
            {
                return true;
            }
        }

        return false;
    }

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
