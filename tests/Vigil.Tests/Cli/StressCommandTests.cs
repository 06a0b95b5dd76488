using System.Globalization;
using Vigil.Cli;
using Vigil.Pipeline;
using Vigil.Store;
using Vigil.Tables;
using Vigil.Tests.Store;
using Xunit;

namespace Vigil.Tests.Cli;

public class StressCommandTests
{
    private static (int Code, Dictionary<string, string> Out, string Err) Run(bool showProgress, params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var console = new CliConsole(new StringReader(""), output, errors, false, static () => throw new InvalidOperationException("no terminal"));
        var code = new VigilCli([new StressCommand(showProgress)]).Run(args, console);
        var lines = new Dictionary<string, string>();
        foreach (var line in output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            lines.Add(line[..colon], line[(colon + 2)..]);
        }

        return (code, lines, errors.ToString());
    }

    private static double Seconds(string elapsed) => double.Parse(elapsed.TrimEnd(" s".ToCharArray()), CultureInfo.InvariantCulture);

    [Fact]
    public void Intensity_LaunchesEveryShellAndReceivesEveryDatagram()
    {
        var (code, output, errors) = Run(false, "stress", "-n", "20");

        Assert.Equal(0, code);
        Assert.Equal("", errors);
        Assert.Equal(["run", "launched", "failed", "datagrams sent", "datagrams received", "elapsed", "rate"], output.Keys);
        Assert.Matches("^[0-9a-f]{8}$", output["run"]);
        Assert.Equal("20", output["launched"]);
        Assert.Equal("0", output["failed"]);
        Assert.Equal("20", output["datagrams sent"]);
        Assert.Equal("20", output["datagrams received"]);
        var rate = double.Parse(output["rate"].Replace(" exec/s", ""), CultureInfo.InvariantCulture);
        Assert.Equal(20 / Seconds(output["elapsed"]), rate, 0.1 * rate);
    }

    [Fact]
    public void Rate_SpreadsTheLaunchesOverTheDuration()
    {
        var (code, output, _) = Run(false, "stress", "--stress_rate=20", "--stress_duration=1");

        Assert.Equal(0, code);
        Assert.Equal("20", output["launched"]);
        Assert.Equal("20", output["datagrams received"]);
        // The last of 20 launches at 20/s is due 0.95 s after the first.
        Assert.InRange(Seconds(output["elapsed"]), 0.95, 10);
    }

    [Fact]
    public void Progress_OnATerminal_IsOneRewrittenLineOnStderr()
    {
        var (code, _, errors) = Run(true, "stress", "--stress_intensity=3");

        Assert.Equal(0, code);
        Assert.Equal("\rlaunched 1/3\rlaunched 3/3\n", errors);
    }

    [Fact]
    public void DatabasePath_CountsThisRunsMarkersOnly()
    {
        using var directory = new TempDirectory();
        var path = directory.File("vigil.db");
        using (var store = EventStore.OpenReadWrite(path, IngestOptions.EventTableSpecs))
        {
            Insert(store, "/bin/sh -c echo hi > /dev/null vigil-stress-feedf00d-3");
        }

        var (code, output, _) = Run(false, "stress", "--stress_intensity=5", $"--database_path={path}");

        Assert.Equal(0, code);
        Assert.Equal("0 of 5 (0.0%)", output["recorded"]);
        Assert.Equal("5", output["missing"]);
    }

    [Fact]
    public void CountRecordedMarkers_DistinctIndexesOfTheRun()
    {
        using var directory = new TempDirectory();
        var path = directory.File("vigil.db");
        using (var store = EventStore.OpenReadWrite(path, IngestOptions.EventTableSpecs))
        {
            Insert(store, "/bin/sh -c echo hi > /dev/null vigil-stress-0badf00d-0");
            Insert(store, "/bin/sh -c echo hi > /dev/null vigil-stress-0badf00d-1");
            Insert(store, "/bin/sh -c echo hi > /dev/null vigil-stress-0badf00d-1");
            Insert(store, "/bin/true vigil-stress-0badf00d-12 vigil-stress-0badf00d-7");
            Insert(store, "/bin/sh -c echo hi > /dev/null vigil-stress-deadbeef-2");
            Insert(store, "/bin/sh -c echo hi > /dev/null vigil-stress-0badf00d-");
        }

        Assert.Equal(4, StressCommand.CountRecordedMarkers(path, "0badf00d"));
    }

    [Fact]
    public void Marker_NamesTheRunAndTheIndex() =>
        Assert.Equal("vigil-stress-0badf00d-42", StressCommand.Marker("0badf00d", 42));

    [Theory]
    [InlineData("vigil: stress needs --stress_intensity=N or --stress_rate=N; try 'vigil stress --help'\n", "stress")]
    [InlineData("vigil: give either --stress_intensity or --stress_rate, not both\n", "stress", "--stress_intensity=2", "--stress_rate=2")]
    [InlineData("vigil: --stress_intensity, --stress_rate and --stress_duration must be positive\n", "stress", "--stress_rate=2", "--stress_duration=0")]
    [InlineData("vigil: stress takes no arguments (got 'now')\n", "stress", "now")]
    [InlineData("vigil: Vigil database not found: /nonexistent/vigil.db\n", "stress", "--stress_intensity=1", "--database_path=/nonexistent/vigil.db")]
    public void Errors(string message, params string[] args)
    {
        var (code, output, errors) = Run(false, args);

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Equal(message, errors);
    }

    private static void Insert(EventStore store, string cmdline)
    {
        var row = new ColumnValue[ProcessEventsTable.Schema.Columns.Count];
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = ProcessEventsTable.Schema.Columns[i].Type == ColumnType.Text ? ColumnValue.Of("") : ColumnValue.Of(0);
        }

        row[ProcessEventsTable.Schema.IndexOf("cmdline")] = ColumnValue.Of(cmdline);
        store.Writer.Append(ProcessEventsTable.Schema, row);
        store.Writer.Commit();
    }
}
