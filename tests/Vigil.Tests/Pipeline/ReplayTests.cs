using Vigil.Pipeline;
using Vigil.Sql;
using Vigil.Store;
using Vigil.Tables;
using Vigil.Tests.Store;
using Vigil.Tests.Tables;
using Xunit;

namespace Vigil.Tests.Pipeline;

/// <summary>
/// The log-file paths over recorded fixtures: the reassembler counts each event once (events_built was counted again by
/// the router: 6 events read from exec.log gave 12), the router counts the rows the store receives.
/// </summary>
public sealed class ReplayTests
{
    [Theory]
    [InlineData("tables/exec.log", 6, 5)]
    [InlineData("tables/exec-large.log", 2, 2)]
    [InlineData("tables/sockets.log", 20, 13)]
    [InlineData("tables/user.log", 18, 18)]
    [InlineData("records/raw.log", 19, 10)]
    [InlineData("records/enriched.log", 11, 5)]
    [InlineData("top/top.log", 86, 80)]
    public void Loading_a_fixture_counts_each_of_its_events_once_and_each_stored_row(string fixture, int events, int rows)
    {
        using var directory = new TempDirectory();
        using var store = EventStore.OpenReadWrite(directory.File("vigil.db"), IngestOptions.EventTableSpecs);

        var counters = LogFileLoader.Load([PathOf(fixture)], TableFixture.LogFileTables(), store.Writer);

        Assert.Equal(events, RecordSerials.DistinctEvents(File.ReadLines(PathOf(fixture))));
        Assert.Equal((events, rows), (counters.EventsBuilt, counters.RowsBuilt));
        Assert.Equal(rows, IngestOptions.EventTableSpecs.Sum(store.Count));
    }

    // exec.log's sixth event is an exec that failed, which makes no row.
    [Fact]
    public void A_shell_scan_of_a_log_file_counts_each_of_its_events_once()
    {
        Vigil.Events.IngestCounters? counted = null;
        var rows = new LogFileRows([PathOf("tables/exec.log")], TableFixture.LogFileTables, (_, counters) => counted = counters);
        using var sql = new SqlEngine(null, IngestOptions.EventTableSpecs, [], rows);

        var result = sql.Execute("SELECT count(*) FROM process_events")[0];

        Assert.Equal("5", Assert.Single(result.Rows)[0]);
        Assert.NotNull(counted);
        Assert.Equal((6, 5), (counted.EventsBuilt, counted.RowsBuilt));
    }

    [Fact]
    public void Vigil_top_counts_the_syscall_events_of_a_fixture_once()
    {
        var tally = Vigil.Cli.Top.SyscallTally.FromLogFiles([PathOf("tables/exec.log")]);

        Assert.Equal(6, tally.Ranked().Sum(entry => entry.Count));
    }

    [Fact]
    public void A_shell_scan_reads_a_bsm_trail_through_the_same_replay()
    {
        Vigil.Events.IngestCounters? counted = null;
        var rows = new LogFileRows([PathOf("bsm/execve-long-args.trail"), PathOf("bsm/apple.bsm")], TableFixture.LogFileTables, (_, counters) => counted = counters);
        using var sql = new SqlEngine(null, IngestOptions.EventTableSpecs, [], rows);

        var result = sql.Execute("SELECT pid, path, uid, syscall, status FROM process_events")[0];

        Assert.Equal("50009|/usr/bin/grep|1000|execve|0", string.Join("|", Assert.Single(result.Rows)));
        Assert.NotNull(counted);
        Assert.Equal((55L, 55L, 1L, 0L), (counted.RecordsReceived, counted.EventsBuilt, counted.RowsBuilt, counted.MalformedRecords));
    }

    [Fact]
    public void Vigil_top_counts_a_bsm_trail_by_call_and_executed_path()
    {
        var ranked = Vigil.Cli.Top.SyscallTally.FromLogFiles([PathOf("bsm/apple.bsm"), PathOf("bsm/execve-long-args.trail")]).Ranked();

        Assert.Equal(55, ranked.Sum(entry => entry.Count));
        Assert.Equal(new Vigil.Cli.Top.TopEntry(20, "AUE_ssauthorize", ""), ranked[0]);
        Assert.Contains(new Vigil.Cli.Top.TopEntry(1, "execve", "/usr/bin/grep"), ranked);
    }

    private static string PathOf(string fixture) => Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture);
}
