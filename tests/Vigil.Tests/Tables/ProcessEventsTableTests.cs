using System.Text;
using Vigil.Tables;
using Xunit;

namespace Vigil.Tests.Tables;

public sealed class ProcessEventsTableTests
{
    private const long Unset = 4294967295;

    private static readonly ProcessEventsTable Table = new(
        new FixedUptime(4242),
        new FakeFileTimes(new()
        {
            ["/usr/bin/echo"] = (1700000001, 1700000002, 1700000003),
            ["/usr/bin/dash"] = (1700000011, 1700000012, 1700000013),
            ["/usr/bin/true"] = (1700000021, 1700000022, 1700000023),
        }));

    [Fact]
    public void Schema_is_osquerys_with_the_darwin_and_linux_columns_and_hidden_flags()
    {
        string[] expected =
        [
            "pid", "path", "mode", "cmdline", "cmdline_size*", "env*", "env_count*", "env_size*", "cwd", "auid", "uid",
            "euid", "gid", "egid", "owner_uid", "owner_gid", "atime", "mtime", "ctime", "btime", "overflows*", "parent",
            "time", "uptime", "eid*", "status*", "fsuid", "suid", "fsgid", "sgid", "syscall",
            "parent_path*", "parent_cmdline*", "session_id*", "tty*", "cgroup*", "container_id*", "exe_sha256*",
        ];

        Assert.Equal(expected, SchemaText.Of(ProcessEventsTable.Schema));
        Assert.Equal("process_events", Table.Spec.Name);
        Assert.True(Table.Spec.IsEventTable);
        Assert.Equal(ColumnType.Text, Table.Spec.Columns[Table.Spec.IndexOf("mode")].Type);
        Assert.Equal(ColumnType.BigInt, Table.Spec.Columns[Table.Spec.IndexOf("parent")].Type);
    }

    [Fact]
    public void Only_successful_execve_and_execveat_give_rows()
    {
        var rows = TableFixture.Rows(Table, "exec.log");

        // exec.log: echo, the #! script, setpriv, true as nobody, the failed exec of a 0644 file, execveat.
        Assert.Equal(
            ["/bin/echo", "/bin/sh", "setpriv", "/bin/true", "/bin/true"],
            rows.Select(row => row.Text("cmdline")!.Split(' ')[0]));
        Assert.DoesNotContain(rows, row => row.Text("cmdline")!.Contains("vigil-noexec", StringComparison.Ordinal));
        Assert.Empty(TableFixture.Rows(Table, "sockets.log"));
        Assert.Empty(TableFixture.Rows(Table, "user.log"));
    }

    [Fact]
    public void Arguments_with_spaces_quotes_non_ascii_newlines_and_empty_ones_are_decoded_in_order()
    {
        var row = Single("exec.log", "vigil-args");

        const string cmdline = "/bin/echo vigil-args two words say \"hi\" héllo wörld ✓ line1\nline2  end";
        Assert.Equal(cmdline, row.Text("cmdline"));
        Assert.Equal(Encoding.UTF8.GetByteCount(cmdline), row.Integer("cmdline_size"));
        Assert.Equal(74, row.Integer("cmdline_size"));
        Assert.Equal("/tmp/vigil-fixture/dir with spaces", row.Text("cwd"));
        Assert.Equal("/usr/bin/echo", row.Text("path"));
        Assert.Equal(8143, row.Integer("pid"));
        Assert.Equal(8142, row.Integer("parent"));
        Assert.Equal("0100755", row.Text("mode"));
        Assert.Equal(0, row.Integer("owner_uid"));
        Assert.Equal(0, row.Integer("owner_gid"));
        Assert.Equal(Unset, row.Integer("auid"));
        foreach (var id in (string[])["uid", "euid", "gid", "egid", "fsuid", "suid", "fsgid", "sgid"])
        {
            Assert.Equal(0, row.Integer(id));
        }

        Assert.Equal(1700000001, row.Integer("atime"));
        Assert.Equal(1700000002, row.Integer("mtime"));
        Assert.Equal(1700000003, row.Integer("ctime"));
        Assert.Equal(0, row.Integer("btime"));
        Assert.Equal("", row.Text("env"));
        Assert.Equal(0, row.Integer("env_count"));
        Assert.Equal(0, row.Integer("env_size"));
        Assert.Equal("", row.Text("overflows"));
        Assert.Equal(1795268023, row.Integer("time"));
        Assert.Equal(4242, row.Integer("uptime"));
        Assert.Equal("", row.Text("eid"));
        Assert.Equal("execve", row.Text("syscall"));
    }

    [Fact]
    public void A_script_run_through_its_shebang_takes_mode_from_the_script_and_path_from_the_interpreter()
    {
        var row = Single("exec.log", "vigil-shebang");

        Assert.Equal("/bin/sh /tmp/vigil-fixture/dir with spaces/vigil script.sh vigil-shebang", row.Text("cmdline"));
        Assert.Equal("/usr/bin/dash", row.Text("path"));
        Assert.Equal("/tmp/vigil-fixture", row.Text("cwd"));
        Assert.Equal("0100755", row.Text("mode"));
        Assert.Equal(8144, row.Integer("pid"));
        Assert.Equal(8142, row.Integer("parent"));
        Assert.Equal(1700000011, row.Integer("atime"));
        Assert.Equal("execve", row.Text("syscall"));
    }

    [Fact]
    public void A_non_root_exec_carries_every_id_of_the_new_credentials()
    {
        // setpriv's own exec names the same arguments; the row of true is the one run as nobody.
        var row = Assert.Single(TableFixture.Rows(Table, "exec.log"), row => row.Text("cmdline") == "/bin/true vigil-nonroot");

        Assert.Equal("/bin/true vigil-nonroot", row.Text("cmdline"));
        Assert.Equal("/usr/bin/true", row.Text("path"));
        Assert.Equal("/", row.Text("cwd"));
        Assert.Equal(8145, row.Integer("pid"));
        Assert.Equal(8142, row.Integer("parent"));
        Assert.Equal(Unset, row.Integer("auid"));
        foreach (var id in (string[])["uid", "euid", "gid", "egid", "fsuid", "suid", "fsgid", "sgid"])
        {
            Assert.Equal(65534, row.Integer(id));
        }

        Assert.Equal(0, row.Integer("owner_uid"));
        Assert.Equal(1700000022, row.Integer("mtime"));
    }

    [Fact]
    public void Execveat_is_named_by_the_syscall_table()
    {
        var row = Single("exec.log", "vigil-execveat");

        Assert.Equal("execveat", row.Text("syscall"));
        Assert.Equal("/bin/true vigil-execveat", row.Text("cmdline"));
        Assert.Equal("/usr/bin/true", row.Text("path"));
        Assert.Equal(8147, row.Integer("pid"));
    }

    [Fact]
    public void A_100_KB_argument_split_over_many_records_is_joined()
    {
        var row = Single("exec-large.log", "vigil-big");

        var expected = "/bin/true vigil-big " + string.Concat(Enumerable.Repeat("abcdefghij", 10000)) + " tail";
        Assert.Equal(expected, row.Text("cmdline"));
        Assert.Equal(100025, row.Integer("cmdline_size"));
        Assert.Equal(8149, row.Integer("pid"));
    }

    [Fact]
    public void Three_thousand_arguments_keep_their_order()
    {
        var row = Single("exec-large.log", "vigil-many");

        var expected = "/bin/true vigil-many " + string.Join(' ', Enumerable.Range(0, 3000).Select(i => $"arg{i:D4}"));
        Assert.Equal(expected, row.Text("cmdline"));
        Assert.Equal(8150, row.Integer("pid"));
    }

    [Fact]
    public void File_times_are_zero_when_stat_fails()
    {
        var table = new ProcessEventsTable(new FixedUptime(1), new FakeFileTimes([]));

        var row = Assert.Single(TableFixture.Rows(table, "exec.log"), row => row.Text("cmdline")!.Contains("vigil-args", StringComparison.Ordinal));

        Assert.Equal(0, row.Integer("atime"));
        Assert.Equal(0, row.Integer("mtime"));
        Assert.Equal(0, row.Integer("ctime"));
        Assert.Equal(0, row.Integer("btime"));
    }

    [Fact]
    public void An_exec_whose_EXECVE_records_were_lost_takes_its_command_line_from_PROCTITLE()
    {
        var log = Path.Combine(Path.GetTempPath(), $"vigil-no-execve-{Guid.NewGuid():N}.log");
        File.WriteAllLines(log, File.ReadLines(TableFixture.PathOf("exec.log"))
            .Where(line => !line.StartsWith("type=EXECVE msg=audit(1795268023.232:888)", StringComparison.Ordinal)));
        try
        {
            var row = Assert.Single(TableFixture.Rows(Table, log), row => row.Integer("pid") == 8143);

            const string cmdline = "/bin/echo vigil-args two words say \"hi\" héllo wörld ✓ line1\nline2  end";
            Assert.Equal(cmdline, row.Text("cmdline"));
            Assert.Equal(74, row.Integer("cmdline_size"));
            Assert.Equal("/usr/bin/echo", row.Text("path"));
        }
        finally
        {
            File.Delete(log);
        }
    }

    [Fact]
    public void An_exec_with_no_arguments_keeps_an_empty_command_line()
    {
        var log = Path.Combine(Path.GetTempPath(), $"vigil-argc0-{Guid.NewGuid():N}.log");
        File.WriteAllLines(log, File.ReadLines(TableFixture.PathOf("exec.log"))
            .Select(line => line.StartsWith("type=EXECVE msg=audit(1795268023.232:888)", StringComparison.Ordinal)
                ? "type=EXECVE msg=audit(1795268023.232:888): argc=0"
                : line));
        try
        {
            var row = Assert.Single(TableFixture.Rows(Table, log), row => row.Integer("pid") == 8143);

            Assert.Equal("", row.Text("cmdline"));
        }
        finally
        {
            File.Delete(log);
        }
    }

    private static TableRow Single(string fixture, string marker) =>
        Assert.Single(TableFixture.Rows(Table, fixture), row => row.Text("cmdline")!.Contains(marker, StringComparison.Ordinal));
}
