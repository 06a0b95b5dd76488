using System.Text;
using Vigil.Flags;
using Vigil.Netlink;
using Vigil.Sql;
using Vigil.Store;
using Vigil.Tables;

namespace Vigil.Cli;

/// <summary>
/// The <c>vigil</c> command line: parses flags, handles <c>--help</c> and <c>--version</c>, and dispatches to a
/// command. Every failure is one line on stderr: <c>vigil: message</c> with exit code 1, or 70 for a bug.
/// </summary>
public sealed class VigilCli(IReadOnlyList<ICommand> commands)
{
    /// <summary>Exit code for an unexpected exception (EX_SOFTWARE in sysexits.h).</summary>
    public const int InternalErrorExitCode = 70;

    /// <summary>Runs <paramref name="args"/> and returns the process exit code.</summary>
    public int Run(IReadOnlyList<string> args, CliConsole console)
    {
        try
        {
            return Dispatch(args, console);
        }
        catch (Exception e) when (IsUserError(e))
        {
            return Fail(console, e.Message, 1);
        }
        catch (Exception e)
        {
            return Fail(console, $"internal error: {e.GetType().Name}: {e.Message}", InternalErrorExitCode);
        }
    }

    /// <summary>
    /// Failures the user can act on, whose message names the thing at fault: bad flags, files that cannot be read,
    /// a database that is not Vigil's, SQL errors, the kernel refusing a request.
    /// </summary>
    private static bool IsUserError(Exception e) =>
        e is CliException or FlagException or IOException or UnauthorizedAccessException
            or Vigil.Store.StoreException or Vigil.Sql.SqlException or Vigil.Netlink.AuditNetlinkException or Vigil.Bpf.BpfException;

    private int Dispatch(IReadOnlyList<string> args, CliConsole console)
    {
        var parsed = FlagParser.ForVigil().Parse(args);
        var flags = parsed.Values;
        if (flags.Get(VigilFlags.Version))
        {
            SQLitePCL.Batteries_V2.Init();
            console.Out.Write($"vigil {OsqueryInfoTable.Version} (SQLite {SQLitePCL.raw.sqlite3_libversion().utf8_to_string()})\n");
            console.Out.Flush();
            return 0;
        }

        var command = parsed.Positionals.Count > 0 ? Find(parsed.Positionals[0]) : null;
        if (flags.Get(VigilFlags.Help))
        {
            console.Out.Write(command is null ? MainHelp() : command.Usage + "\n\nFlags:\n" + FlagHelp.Format(VigilFlags.All));
            console.Out.Flush();
            return 0;
        }

        if (command is null)
        {
            throw new CliException("no command given; try 'vigil --help'");
        }

        var arguments = new string[parsed.Positionals.Count - 1];
        for (var i = 1; i < parsed.Positionals.Count; i++)
        {
            arguments[i - 1] = parsed.Positionals[i];
        }

        return command.Run(flags, arguments, console);
    }

    private ICommand Find(string name)
    {
        var names = new List<string>();
        foreach (var command in commands)
        {
            if (command.Name == name)
            {
                return command;
            }

            names.Add(command.Name);
        }

        var suggestion = NameSuggestion.Closest(name, names);
        throw new CliException(suggestion is null
            ? $"unknown command: {name} (commands: {string.Join(", ", names)})"
            : $"unknown command: {name} (did you mean {suggestion}?)");
    }

    private string MainHelp()
    {
        var text = new StringBuilder("Usage: vigil [FLAGS] COMMAND [ARGS]\n\nCommands:\n");
        var width = 0;
        foreach (var command in commands)
        {
            width = Math.Max(width, command.Name.Length);
        }

        foreach (var command in commands)
        {
            text.Append("  ").Append(command.Name.PadRight(width)).Append("  ").Append(command.Summary).Append('\n');
        }

        text.Append("\nFlags (also read from --flagfile; the command line wins):\n").Append(FlagHelp.Format(VigilFlags.All));
        return text.ToString();
    }

    private static int Fail(CliConsole console, string message, int exitCode)
    {
        console.Out.Flush();
        console.Error.Write($"vigil: {message.ReplaceLineEndings(" ")}\n");
        console.Error.Flush();
        return exitCode;
    }
}
