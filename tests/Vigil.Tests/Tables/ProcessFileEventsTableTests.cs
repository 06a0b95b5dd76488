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

    // rm's fts opens the directory, dups the descriptor with fcntl(F_DUPFD_CLOEXEC), which no rule reports, and unlinks
    // through the copy: the PARENT item's inode names the directory (its printed name is the working directory).
    [Fact]
    public void A_dirfd_not_seen_made_is_the_open_directory_of_the_parent_items_inode()
    {
        const string Identity = "auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=1 comm=\"rm\" exe=\"/usr/bin/rm\" key=\"vigil\"";
        var log = $"""
            type=SYSCALL msg=audit(1796593457.880:100): arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=7ffd a2=b0900 a3=0 items=1 ppid=1 pid=50 {Identity}
            type=CWD msg=audit(1796593457.880:100): cwd="/root"
            type=PATH msg=audit(1796593457.880:100): item=0 name="/w/files" inode=77 dev=fe:00 mode=040755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL
            type=EOE msg=audit(1796593457.880:100):
            type=SYSCALL msg=audit(1796593457.881:101): arch=c000003e syscall=263 success=yes exit=0 a0=4 a1=7ffd a2=0 a3=0 items=2 ppid=1 pid=50 {Identity}
            type=CWD msg=audit(1796593457.881:101): cwd="/root"
            type=PATH msg=audit(1796593457.881:101): item=0 name="/root" inode=77 dev=fe:00 mode=040755 ouid=0 ogid=0 rdev=00:00 nametype=PARENT
            type=PATH msg=audit(1796593457.881:101): item=1 name="a" inode=78 dev=fe:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=DELETE
            type=EOE msg=audit(1796593457.881:101):

            """;
        var table = new ProcessFileEventsTable(
            new ProcessFileEventsOptions { Patterns = Vigil.Rules.FilePatterns.Parse("""{"w": ["/w/%%"]}""", null) },
            new OpenFiles(null),
            new FixedUptime(TableFixture.Uptime));

        var row = Assert.Single(TableFixture.RowsOfText(table, log));
        Assert.Equal("unlink|50|/usr/bin/rm|/root|/w/files/a|", row.Values("operation", "pid", "executable", "cwd", "path", "dest_path"));
    }
}
