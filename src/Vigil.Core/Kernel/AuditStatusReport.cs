using System.Globalization;
using System.Text;
using Vigil.KernelAbi;
using Vigil.Netlink;
using Vigil.Rules;

namespace Vigil.Kernel;

/// <summary>Renders the kernel audit state like <c>auditctl -s</c> followed by <c>auditctl -l</c>.</summary>
public static class AuditStatusReport
{
    private static readonly (AuditFeatureBitmap Bit, string Name)[] FeatureNames =
    [
        (AuditFeatureBitmap.BacklogLimit, "backlog_limit"),
        (AuditFeatureBitmap.BacklogWaitTime, "backlog_wait_time"),
        (AuditFeatureBitmap.ExecutablePath, "executable_path"),
        (AuditFeatureBitmap.ExcludeExtend, "exclude_extend"),
        (AuditFeatureBitmap.SessionIdFilter, "sessionid_filter"),
        (AuditFeatureBitmap.LostReset, "lost_reset"),
        (AuditFeatureBitmap.FilterFs, "filter_fs"),
    ];

    /// <summary>Reads the status, features and rules through <paramref name="client"/> and renders them.</summary>
    public static string Render(AuditClient client) =>
        Render(client.GetStatus(), client.GetFeatures(), client.ListRules(), ProcessName);

    /// <summary>
    /// Renders one line per status field, the decoded feature bitmap, the rules (or <c>No rules</c>), and a
    /// warning when another live process owns the audit socket. <paramref name="processName"/> maps a pid to
    /// its name, null when the process is gone.
    /// </summary>
    public static string Render(in AuditStatus status, in AuditFeatures features, IReadOnlyList<AuditRule> rules, Func<uint, string?> processName)
    {
        var text = new StringBuilder();
        var owner = status.Pid == 0 ? null : processName(status.Pid);
        Line(text, "enabled", status.Enabled);
        Line(text, "failure", status.Failure);
        text.Append("pid ").Append(status.Pid.ToString(CultureInfo.InvariantCulture));
        if (status.Pid != 0)
        {
            text.Append(" (").Append(owner ?? "no such process").Append(')');
        }

        text.Append('\n');
        Line(text, "rate_limit", status.RateLimit);
        Line(text, "backlog_limit", status.BacklogLimit);
        Line(text, "lost", status.Lost);
        Line(text, "backlog", status.Backlog);
        Line(text, "backlog_wait_time", status.BacklogWaitTime);
        Line(text, "backlog_wait_time_actual", status.BacklogWaitTimeActual);
        var immutable = (features.Features & AuditFeatures.LoginUidImmutable) != 0 ? 1 : 0;
        var locked = (features.Lock & AuditFeatures.LoginUidImmutable) != 0 ? "locked" : "unlocked";
        text.Append("loginuid_immutable ").Append(immutable).Append(' ').Append(locked).Append('\n');
        text.Append("features 0x").Append(((uint)status.FeatureBitmap).ToString("x", CultureInfo.InvariantCulture));
        foreach (var (bit, name) in FeatureNames)
        {
            if ((status.FeatureBitmap & bit) != 0)
            {
                text.Append(' ').Append(name);
            }
        }

        text.Append('\n');
        if (rules.Count == 0)
        {
            text.Append("No rules\n");
        }

        foreach (var rule in rules)
        {
            text.Append(rule.ToAuditctlText()).Append('\n');
        }

        if (status.Pid != 0 && status.Pid != (uint)Environment.ProcessId && owner is not null)
        {
            text.Append("warning: the audit socket is owned by pid ").Append(status.Pid.ToString(CultureInfo.InvariantCulture))
                .Append(" (").Append(owner).Append("); Vigil would read in multicast mode\n");
        }

        return text.ToString();
    }

    /// <summary>The name in /proc/<paramref name="pid"/>/comm, or null when there is no such process.</summary>
    public static string? ProcessName(uint pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").TrimEnd('\n');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void Line(StringBuilder text, string name, uint value) =>
        text.Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
