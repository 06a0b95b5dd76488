using Vigil.Flags;
using Vigil.Netlink;

namespace Vigil.Cli;

/// <summary><c>vigil status</c>: the kernel's audit state and rules, like <c>auditctl -s</c> and <c>auditctl -l</c>.</summary>
public sealed class StatusCommand : ICommand
{
    /// <inheritdoc/>
    public string Name => "status";

    /// <inheritdoc/>
    public string Summary => "Show the kernel's audit state, its owner and the rules loaded";

    /// <inheritdoc/>
    public string Usage => "Usage: vigil status\n\nPrints the kernel audit status as auditctl -s does, then the rules as auditctl -l does.";

    /// <inheritdoc/>
    public int Run(FlagValues flags, IReadOnlyList<string> arguments, CliConsole console)
    {
        if (arguments.Count > 0)
        {
            throw new CliException($"status takes no arguments (got '{arguments[0]}')");
        }

        if (!AuditPrivilege.HasAuditCapabilities(File.ReadAllText("/proc/self/status")))
        {
            throw new CliException("reading the audit status needs root (or CAP_AUDIT_CONTROL)");
        }

        using var client = AuditClient.OpenUnicast();
        console.Out.Write(AuditStatusReport.Render(client));
        console.Out.Flush();
        return 0;
    }
}
