using Microsoft.Data.Sqlite;
using Vigil.Daemon;
using Vigil.Flags;
using Vigil.Kernel;
using Vigil.Netlink;

namespace Vigil.Cli;

/// <summary>
/// <c>vigil status</c>: the kernel's audit state and rules, like <c>auditctl -s</c> and <c>auditctl -l</c>, then the
/// scheduled queries the daemon's watchdog denylisted, from its database.
/// </summary>
public sealed class StatusCommand : ICommand
{
    /// <inheritdoc/>
    public string Name => "status";

    /// <inheritdoc/>
    public string Summary => "Show the kernel's audit state, its owner and the rules loaded";

    /// <inheritdoc/>
    public string Usage => "Usage: vigil status\n\nPrints the kernel audit status as auditctl -s does, then the rules as auditctl -l does, then the scheduled\n"
        + "queries the daemon's watchdog denylisted (from --database_path), until when and why.";

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
        var database = flags.Get(VigilFlags.DatabasePath);
        if (File.Exists(database))
        {
            console.Out.Write(Denylist(database));
        }

        console.Out.Flush();
        return 0;
    }

    private static string Denylist(string database)
    {
        IReadOnlyList<Schedule.DenylistEntry> entries;
        try
        {
            entries = DaemonStateStore.ReadDenylist(database, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        }
        catch (SqliteException e)
        {
            return $"denylisted queries: unknown ({database}: {e.Message})\n";
        }

        var text = new System.Text.StringBuilder($"denylisted queries ({database}): {(entries.Count == 0 ? "none" : entries.Count)}\n");
        foreach (var entry in entries)
        {
            text.Append($"  {entry.Name} until {entry.UntilText}: {entry.Reason}\n");
        }

        return text.ToString();
    }
}
