using Vigil.Tables;
using Vigil.Tests.Pipeline;
using Xunit;

namespace Vigil.Tests.Tables;

public sealed class ProcessFileEventsTableTests
{
    [Fact]
    public void Schema_is_osquerys()
    {
        string[] expected =
        [
            "operation", "pid", "ppid", "time", "executable", "partial", "cwd", "path", "dest_path", "uid", "gid",
            "auid", "euid", "egid", "fsuid", "fsgid", "suid", "sgid", "uptime", "eid*",
        ];

        Assert.Equal(expected, SchemaText.Of(ProcessFileEventsTable.Schema));
        Assert.Equal(ColumnType.Text, ProcessFileEventsTable.Schema.Columns[ProcessFileEventsTable.Schema.IndexOf("uid")].Type);
        Assert.Equal(ColumnType.BigInt, ProcessFileEventsTable.Schema.Columns[ProcessFileEventsTable.Schema.IndexOf("ppid")].Type);
    }

    // fim.log is fim.py recorded by auditd under the rules Vigil installs: read as a log file it gives the rows the
    // kernel test gets live (ProcessFileEventsKernelTests), but for the partial row, which needs the live /proc.
    [Fact]
    public void The_recorded_workload_gives_the_rows_of_the_live_one()
    {
        var table = TableFixture.LogFileTables().Single(table => table.Spec == ProcessFileEventsTable.Schema);
        var rows = TableFixture.Rows(table, "fim.log");
        var python = rows[0].Integer("pid");
        var child = rows.Single(row => row.Integer("pid") != python).Integer("pid");
        var ppid = rows[0].Integer("ppid");
        var (w, u) = (TableFixture.FimFixtureWatched, TableFixture.FimFixtureUnwatched);

        var expected = FimWorkload.Rows(w, u).Select(row => string.Join('|',
            row.Operation, row.Child ? child : python, row.Child ? python : ppid, "/usr/bin/python3.11", "false", w, row.Path, row.DestPath));
        Assert.Equal(expected, rows.Select(row => row.Values("operation", "pid", "ppid", "executable", "partial", "cwd", "path", "dest_path")));
    }
}
