using System.Globalization;
using Vigil.Flags;

namespace Vigil.Cli;

/// <summary>Checks, before anything starts, that the process may receive audit records from the kernel.</summary>
public static class AuditPrivilege
{
    /// <summary>CAP_AUDIT_CONTROL, from include/uapi/linux/capability.h: set the audit pid, rules and status.</summary>
    public const int CapAuditControl = 30;

    /// <summary>CAP_AUDIT_READ, from include/uapi/linux/capability.h: join the audit multicast group.</summary>
    public const int CapAuditRead = 37;

    /// <summary>The message when the check fails.</summary>
    public const string Missing =
        "collecting audit events needs root (or CAP_AUDIT_CONTROL and CAP_AUDIT_READ); run as root or use --audit_log_file";

    /// <summary>Whether the flags ask for audit records from the kernel (audit on from the audit source, and no log file to read instead).</summary>
    public static bool WantsKernel(FlagValues flags) =>
        !flags.Get(VigilFlags.DisableAudit) && flags.Get(VigilFlags.AuditLogFile).Count == 0 && !flags.IsSet(VigilFlags.DatabasePath)
        && flags.Get(VigilFlags.EventSource) == "audit";

    /// <summary>Throws <see cref="CliException"/> when the flags ask for kernel records and this process lacks the capabilities.</summary>
    /// <param name="flags">The parsed flags.</param>
    /// <param name="readProcStatus">Returns the text of /proc/self/status; the default reads it.</param>
    public static void EnsureKernelAccess(FlagValues flags, Func<string>? readProcStatus = null)
    {
        if (WantsKernel(flags) && !HasAuditCapabilities((readProcStatus ?? ReadOwnStatus)()))
        {
            throw new CliException(Missing);
        }
    }

    /// <summary>Whether the CapEff line of a /proc/PID/status text has both audit capabilities.</summary>
    /// <remarks>Effective capabilities, not the uid, decide: root in a container may lack them, a non-root service may hold them.</remarks>
    public static bool HasAuditCapabilities(string procStatus)
    {
        foreach (var line in procStatus.AsSpan().EnumerateLines())
        {
            if (line.StartsWith("CapEff:", StringComparison.Ordinal)
                && ulong.TryParse(line["CapEff:".Length..].Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var effective))
            {
                const ulong needed = (1UL << CapAuditControl) | (1UL << CapAuditRead);
                return (effective & needed) == needed;
            }
        }

        return false;
    }

    private static string ReadOwnStatus() => File.ReadAllText("/proc/self/status");
}
