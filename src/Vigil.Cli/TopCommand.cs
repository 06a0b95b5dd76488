using Vigil.Cli.Top;
using Vigil.Flags;

namespace Vigil.Cli;

/// <summary><c>vigil top</c>: which executables cause the most audited syscalls, with exclusions to paste.</summary>
public sealed class TopCommand(TimeProvider time) : ICommand
{
    /// <summary>A command reading the clock of the system.</summary>
    public TopCommand()
        : this(TimeProvider.System)
    {
    }

    /// <inheritdoc/>
    public string Name => "top";

    /// <inheritdoc/>
    public string Summary => "Rank executables by audited syscall events, from log files or a store";

    /// <inheritdoc/>
    public string Usage =>
        "Usage: vigil top --audit_log_file=PATH... | --database_path=PATH [--top_window=SECONDS] [--top_limit=N]\n\n" +
        "Counts syscall events by executable and syscall: from auditd logs (every SYSCALL event), or from a store's\n" +
        "process_events and socket_events of the last --top_window seconds. Prints the top --top_limit pairs and\n" +
        "the audit.exclude entries that would stop the kernel reporting the first ones.";

    /// <inheritdoc/>
    public int Run(FlagValues flags, IReadOnlyList<string> arguments, CliConsole console)
    {
        if (arguments.Count > 0)
        {
            throw new CliException($"top takes no arguments (got '{arguments[0]}')");
        }

        var limit = flags.Get(VigilFlags.TopLimit);
        if (limit < 1)
        {
            throw new CliException($"--top_limit must be at least 1 (got {limit})");
        }

        var logFiles = flags.Get(VigilFlags.AuditLogFile);
        SyscallTally tally;
        if (logFiles.Count > 0)
        {
            tally = SyscallTally.FromLogFiles(logFiles);
        }
        else if (flags.IsSet(VigilFlags.DatabasePath))
        {
            var path = flags.Get(VigilFlags.DatabasePath);
            if (!File.Exists(path))
            {
                throw new CliException($"no store at {path}");
            }

            tally = SyscallTally.FromStore(path, time.GetUtcNow().ToUnixTimeSeconds() - flags.Get(VigilFlags.TopWindow));
        }
        else
        {
            throw new CliException("top needs --audit_log_file=PATH or --database_path=PATH");
        }

        console.Out.Write(TopReport.Render(tally.Ranked(), (int)Math.Min(limit, int.MaxValue)));
        console.Out.Flush();
        return 0;
    }
}
