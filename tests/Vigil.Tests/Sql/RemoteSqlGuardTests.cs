using Vigil.Flags;
using Vigil.Daemon;
using Vigil.Sql;
using Xunit;

namespace Vigil.Tests.Sql;

/// <summary>SQL from a server on a restricted engine: reading and functions only, and each budget stops a query with its own message.</summary>
public sealed class RemoteSqlGuardTests : IDisposable
{
    private readonly SqlEngine _engine = VigilDaemon.OpenEngine(null, FlagValues.Defaults);

    public RemoteSqlGuardTests() => _engine.Restrict(new QueryBudget(TimeSpan.FromSeconds(1), 1000, 100_000));

    public void Dispose() => _engine.Dispose();

    [Theory]
    [InlineData("ATTACH DATABASE ':memory:' AS other")]
    [InlineData("DETACH DATABASE main")]
    [InlineData("CREATE TEMP TABLE t(x)")]
    [InlineData("CREATE TABLE t(x)")]
    [InlineData("INSERT INTO process_events(pid) VALUES (1)")]

    [InlineData("DROP TABLE process_events")]
    [InlineData("PRAGMA journal_mode = DELETE")]
    [InlineData("PRAGMA table_info(process_events)")]
    [InlineData("BEGIN")]
    public void Refuses_WhatIsNotReading(string sql) =>
        Assert.Equal("not authorized", Assert.Throws<SqlException>(() => _engine.Execute(sql)).Message);

    // SQLite words these refusals of the authorizer its own way.
    [Theory]
    [InlineData("DELETE FROM process_events", "table process_events may not be modified")]
    [InlineData("UPDATE process_events SET pid = 1", "table process_events may not be modified")]
    [InlineData("SELECT load_extension('/tmp/x.so')", "not authorized to use function: load_extension")]
    [InlineData("VACUUM", "authorization denied")]
    public void Refuses_WritesExtensionsAndVacuum(string sql, string message) =>
        Assert.Equal(message, Assert.Throws<SqlException>(() => _engine.Execute(sql)).Message);

    [Fact]
    public void Allows_Selects_Functions_RecursiveQueries_AndTheTables()
    {
        var result = Assert.Single(_engine.Execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3) SELECT group_concat(x), upper('a'), (SELECT count(*) FROM process_events) FROM c"));
        Assert.Equal(new string?[] { "1,2,3", "A", "0" }, result.Rows[0]);
    }

    [Fact]
    public void AQueryThatNeverEnds_IsInterrupted_AtItsTimeBudget()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = Assert.Throws<SqlException>(() => _engine.Execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"));
        Assert.Equal("interrupted: the query ran longer than its budget of 1 s", error.Message);
        Assert.InRange(clock.Elapsed.TotalSeconds, 1, 3);
    }

    [Fact]
    public void RowsAndBytes_PastTheirLimits_StopTheQuery()
    {
        Assert.Equal("stopped: the query returned more than its limit of 1000 rows",
            Assert.Throws<SqlException>(() => _engine.Execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c")).Message);
        Assert.Equal("stopped: the query returned more than its limit of 100000 bytes",
            Assert.Throws<SqlException>(() => _engine.Execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100) SELECT hex(zeroblob(1000)) FROM c")).Message);
        Assert.Equal("string or blob too big", Assert.Throws<SqlException>(() => _engine.Execute("SELECT randomblob(1000000000)")).Message);
        Assert.Single(_engine.Execute("SELECT 1"));
    }
}
