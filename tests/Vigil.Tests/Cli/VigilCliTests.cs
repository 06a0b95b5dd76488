using Microsoft.Data.Sqlite;
using Vigil.Cli.Shell;
using Vigil.Cli;
using Vigil.Flags;
using Vigil.Tables;
using Vigil.Tests.Cli.Shell;
using Xunit;

namespace Vigil.Tests.Cli;

public class VigilCliTests
{
    private sealed class ThrowingCommand : ICommand
    {
        public string Name => "boom";

        public string Summary => "Fails";

        public string Usage => "Usage: vigil boom";

        public int Run(FlagValues flags, IReadOnlyList<string> arguments, CliConsole console) =>
            throw new InvalidOperationException("unexpected\nstate");
    }

    private static (int Code, string Out, string Err) Run(string input, params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var console = new CliConsole(new StringReader(input), output, errors, false, static () => throw new InvalidOperationException("no terminal"));
        var cli = new VigilCli([new ShellCommand(static _ => new InMemoryQueryEngine()), new ThrowingCommand()]);
        var code = cli.Run(args, console);
        return (code, output.ToString(), errors.ToString());
    }

    [Fact]
    public void Shell_PositionalSql() =>
        Assert.Equal((0, "[\n  {\"a\":\"1\"}\n]\n", ""), Run("", "shell", "--json", "select 1 as a"));

    [Fact]
    public void Shell_FlagsBeforeTheCommand() =>
        Assert.Equal((0, "a\n1\n", ""), Run("", "--csv", "shell", "select 1 as a"));

    [Fact]
    public void Shell_Piped() =>
        Assert.Equal((0, "    a = 1\n    b = 2\n", ""), Run("select 1 as a;\nselect 2 as b;\n", "shell", "--line"));

    [Fact]
    public void Shell_SqlError_ExitsOne() =>
        Assert.Equal((1, "", "Error: no such table: nowhere\n"), Run("", "shell", "select * from nowhere"));

    [Fact]
    public void Shell_TwoOutputModes_IsAnError() =>
        Assert.Equal((1, "", "vigil: choose one output mode of --json, --csv and --line\n"), Run("", "shell", "--json", "--csv", "select 1"));

    [Fact]
    public void Shell_TwoArguments_IsAnError() =>
        Assert.Equal((1, "", "vigil: shell takes at most one SQL argument; quote the SQL\n"), Run("", "shell", "select", "1"));

    [Fact]
    public void UnknownFlag() =>
        Assert.Equal((1, "", "vigil: unknown flag: --jsn (did you mean --json?)\n"), Run("", "shell", "--jsn", "select 1"));

    [Fact]
    public void UnknownCommand() =>
        Assert.Equal((1, "", "vigil: unknown command: shel (did you mean shell?)\n"), Run("", "shel"));

    [Fact]
    public void UnknownCommand_NothingClose() =>
        Assert.Equal((1, "", "vigil: unknown command: frobnicate (commands: shell, boom)\n"), Run("", "frobnicate"));

    [Fact]
    public void NoCommand() => Assert.Equal((1, "", "vigil: no command given; try 'vigil --help'\n"), Run(""));

    [Fact]
    public void UnexpectedException_OneLine_Exit70() =>
        Assert.Equal((70, "", "vigil: internal error: InvalidOperationException: unexpected state\n"), Run("", "boom"));

    [Fact]
    public void Version() => Assert.Equal((0, VersionLine, ""), Run("", "--version"));

    /// <summary>What <c>vigil --version</c> prints: the build's version (osquery_info's too) and that of the e_sqlite3 library both load.</summary>
    internal static string VersionLine { get; } = $"vigil {OsqueryInfoTable.Version} (SQLite {new SqliteConnection().ServerVersion})\n";

    [Fact]
    public void Help_ListsCommandsAndFlagsWithDefaults()
    {
        var (code, output, errors) = Run("", "--help");
        Assert.Equal(0, code);
        Assert.Equal("", errors);
        Assert.StartsWith("Usage: vigil [FLAGS] COMMAND [ARGS]\n\nCommands:\n  shell  Run SQL over Vigil's tables, like osqueryi\n  boom   Fails\n", output);
        Assert.Contains("\n  --audit_backlog_limit N ", output);
        Assert.Contains("Kernel audit backlog limit (records queued before loss) (default: 4096)\n", output);
        Assert.Contains("(default: auto)\n", output);
        Assert.Equal(VigilFlags.All.Count, output.Split('\n').Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, "^  (-[a-z], )?--[a-z]")));
        Assert.Contains("\n  -n, --stress_intensity N ", output);
    }

    [Fact]
    public void ShellHelp_ShowsItsUsageAndTheFlags()
    {
        var (code, output, _) = Run("", "shell", "--help");
        Assert.Equal(0, code);
        Assert.StartsWith("Usage: vigil shell [FLAGS] [SQL]\n", output);
        Assert.Contains("\nFlags:\n", output);
        Assert.Contains("  --json ", output);
    }
}
