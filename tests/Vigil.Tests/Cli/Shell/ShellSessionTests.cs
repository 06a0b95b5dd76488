using Vigil.Sql;
using Vigil.Cli.Shell;
using Xunit;

namespace Vigil.Tests.Cli.Shell;

public sealed class ShellSessionTests : IDisposable
{
    private readonly InMemoryQueryEngine _engine = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _errors = new();

    public void Dispose() => _engine.Dispose();

    private ShellSession Session(OutputMode mode = OutputMode.Csv, bool interactive = false) =>
        new(_engine, _output, _errors, mode, interactive);

    private static void Feed(ShellSession session, string input)
    {
        foreach (var line in input.Split('\n'))
        {
            session.AcceptLine(line);
        }

        session.Finish();
    }

    [Fact]
    public void Statements_RunWhenTheirSemicolonArrives()
    {
        var session = Session();
        session.AcceptLine("select 1 as a");
        Assert.True(session.HasPendingStatement);
        Assert.Equal("", _output.ToString());
        session.AcceptLine("; select 2 as b; select");
        Assert.Equal("a\n1\nb\n2\n", _output.ToString());
        Assert.True(session.HasPendingStatement);
        session.AcceptLine("'x;y' as c;");
        Assert.False(session.HasPendingStatement);
        Assert.Equal("a\n1\nb\n2\nc\nx;y\n", _output.ToString());
    }

    [Fact]
    public void MultiLineString_KeepsItsNewline()
    {
        Feed(Session(OutputMode.Json), "select 'one\ntwo;' as v;");
        Assert.Equal("[\n  {\"v\":\"one\\ntwo;\"}\n]\n", _output.ToString());
    }

    [Fact]
    public void Error_IsReportedWithLine_AndTheRestRuns()
    {
        var session = Session();
        Feed(session, "select 1 as a;\n\nselect\n  nope;\nselect 2 as b;");
        Assert.Equal("a\n1\nb\n2\n", _output.ToString());
        Assert.Equal("Error: near line 3: no such column: nope\n", _errors.ToString());
        Assert.Equal(1, session.ExitCode);
    }

    [Fact]
    public void Interactive_ErrorHasNoLine_AndExitCodeStaysZero()
    {
        var session = Session(interactive: true);
        Feed(session, "select nope;");
        Assert.Equal("Error: no such column: nope\n", _errors.ToString());
        Assert.Equal(0, session.ExitCode);
    }

    [Fact]
    public void PendingStatementAtEnd_RunsWithoutSemicolon()
    {
        var session = Session();
        Feed(session, "select 3 as c\n-- trailing comment");
        Assert.Equal("c\n3\n", _output.ToString());
        Assert.Equal(0, session.ExitCode);
    }

    [Fact]
    public void MetaCommands_TablesSchemaMode()
    {
        Feed(Session(), "create table t(a, b);\ncreate table s(x);\n.tables\n.schema t\n.mode line\nselect 1 as a;\n.mode json\nselect 2 as a;");
        Assert.Equal(
            "  => s\n  => t\nCREATE TABLE t(a, b);\n    a = 1\n[\n  {\"a\":\"2\"}\n]\n",
            _output.ToString());
        Assert.Equal("", _errors.ToString());
    }

    [Fact]
    public void MetaCommand_OnlyAtTheStartOfAStatement()
    {
        Feed(Session(), "select\n.5 as v;");
        Assert.Equal("v\n0.5\n", _output.ToString());
    }

    [Fact]
    public void MetaCommand_Errors()
    {
        var session = Session();
        Feed(session, ".mode xml\n.frob\n.tables extra");
        Assert.Equal(
            "Error: near line 1: mode should be one of: pretty json csv line\n" +
            "Error: near line 2: unknown command or invalid arguments: \".frob\". Enter \".help\" for help\n" +
            "Error: near line 3: unknown command or invalid arguments: \".tables\". Enter \".help\" for help\n",
            _errors.ToString());
        Assert.Equal(OutputMode.Csv, session.Mode);
        Assert.Equal(1, session.ExitCode);
    }

    [Fact]
    public void Exit_StopsAndSetsTheCode()
    {
        var session = Session();
        session.AcceptLine(".exit 3");
        Assert.True(session.ExitRequested);
        Assert.Equal(3, session.ExitCode);
        var quit = Session();
        quit.AcceptLine(".quit");
        Assert.True(quit.ExitRequested);
        Assert.Equal(0, quit.ExitCode);
    }

    [Fact]
    public void Help_ListsTheMetaCommands()
    {
        Feed(Session(), ".help");
        Assert.Contains(".mode MODE       Set the output mode: pretty (default), json, csv or line\n", _output.ToString());
    }

    [Fact]
    public void RunText_RunsEachStatement_StopsAtTheFirstError()
    {
        var session = Session();
        session.RunText("select 1 as a; select nope; select 2 as b");
        Assert.Equal("a\n1\n", _output.ToString());
        Assert.Equal("Error: no such column: nope\n", _errors.ToString());
        Assert.Equal(1, session.ExitCode);
    }

    [Fact]
    public void RunText_MetaCommand()
    {
        _engine.Execute("create table t(a)", new QueryResultCollector());
        Session().RunText(".tables");
        Assert.Equal("  => t\n", _output.ToString());
    }

    [Fact]
    public void DiscardPending_DropsAHalfStatement()
    {
        var session = Session();
        session.AcceptLine("select 1 as a");
        session.DiscardPending();
        session.AcceptLine("select 2 as b;");
        Assert.Equal("b\n2\n", _output.ToString());
    }
}
