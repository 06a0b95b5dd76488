using System.Runtime.InteropServices;
using Vigil.KernelAbi;
using Vigil.Netlink;
using Vigil.Rules;

namespace Vigil.Kernel;

/// <summary>
/// Sends parsed auditctl commands to the kernel in order, like <c>auditctl -R</c>: rules are added or deleted
/// and settings changed; a kernel refusal names the line.
/// </summary>
public sealed class AuditctlLoader(AuditClient client)
{
    /// <summary>The encoded rules this loader added, in order.</summary>
    public List<byte[]> Added { get; } = [];

    /// <summary>One sentence per failed line: <c>line N: reason: text</c>.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>
    /// Applies <paramref name="commands"/>. Unless errors are ignored (the argument or a <c>-i</c> line), the first
    /// kernel refusal stops the load and deletes the rules it had added, so a file goes in whole or not at all;
    /// settings already changed stay. Returns whether every line succeeded.
    /// </summary>
    public bool Apply(IReadOnlyList<AuditctlCommand> commands, bool ignoreErrors)
    {
        foreach (var command in commands)
        {
            if (command.Kind == AuditctlCommandKind.IgnoreErrors)
            {
                ignoreErrors = true;
                continue;
            }

            try
            {
                Apply(command);
            }
            catch (AuditNetlinkException error)
            {
                var reason = error.Errno != 0 ? Marshal.GetPInvokeErrorMessage(error.Errno) : error.Message;
                Errors.Add($"line {command.LineNumber}: kernel refused it ({reason}): {command.Text}");
                if (!ignoreErrors)
                {
                    RollBack();
                    return false;
                }
            }
        }

        return Errors.Count == 0;
    }

    private void Apply(AuditctlCommand command)
    {
        switch (command.Kind)
        {
            case AuditctlCommandKind.AddRule:
                var data = command.Rule!.Encode();
                client.AddRule(data);
                Added.Add(data);
                break;
            case AuditctlCommandKind.DeleteRule:
                client.DeleteRule(command.Rule!);
                break;
            case AuditctlCommandKind.DeleteAll:
                foreach (var rule in client.ListRuleData())
                {
                    if (command.Key is null || HasKey(AuditRule.Decode(rule), command.Key))
                    {
                        client.DeleteRule(rule);
                    }
                }

                break;
            case AuditctlCommandKind.SetBacklogLimit:
                client.SetStatus(new AuditStatus { Mask = AuditStatusMask.BacklogLimit, BacklogLimit = command.Value });
                break;
            case AuditctlCommandKind.SetBacklogWaitTime:
                client.SetStatus(new AuditStatus { Mask = AuditStatusMask.BacklogWaitTime, BacklogWaitTime = command.Value });
                break;
            case AuditctlCommandKind.SetEnabled:
                client.SetStatus(new AuditStatus { Mask = AuditStatusMask.Enabled, Enabled = command.Value });
                break;
            case AuditctlCommandKind.SetFailure:
                client.SetStatus(new AuditStatus { Mask = AuditStatusMask.Failure, Failure = command.Value });
                break;
            case AuditctlCommandKind.SetRateLimit:
                client.SetStatus(new AuditStatus { Mask = AuditStatusMask.RateLimit, RateLimit = command.Value });
                break;
            case AuditctlCommandKind.ContinueOnError:
                break;
            default:
                throw new AuditNetlinkException(command.Kind.ToString(), "not supported by Vigil");
        }
    }

    /// <summary>Whether one of the rule's keys is <paramref name="key"/>.</summary>
    public static bool HasKey(AuditRule rule, string key)
    {
        foreach (var field in rule.Fields)
        {
            if (field.Field == AuditField.FilterKey && Array.IndexOf((field.Text ?? string.Empty).Split(AuditRule.KeySeparator), key) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private void RollBack()
    {
        for (var i = Added.Count - 1; i >= 0; i--)
        {
            client.DeleteRule(Added[i]);
        }

        Added.Clear();
    }
}
