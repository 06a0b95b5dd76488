using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Vigil.Tables;
using Xunit;

namespace Vigil.Tests.Tables;

public sealed partial class ProcessesTableTests
{
    private readonly ProcessesTable _table = new();

    [Fact]
    public void Schema_is_osquerys_with_cgroup_path_and_pid_indexed()
    {
        string[] expected =
        [
            "pid", "name", "path", "cmdline", "state", "cwd", "root", "uid", "gid", "euid", "egid", "suid", "sgid",
            "on_disk", "wired_size", "resident_size", "total_size", "user_time", "system_time", "disk_bytes_read",
            "disk_bytes_written", "start_time", "parent", "pgroup", "threads", "nice", "cgroup_path",
        ];

        Assert.Equal(expected, SchemaText.Of(ProcessesTable.Schema));
        Assert.False(ProcessesTable.Schema.IsEventTable);
        Assert.Equal(["pid"], ProcessesTable.Schema.Columns.Where(column => column.Indexed).Select(column => column.Name));
    }

    [Fact]
    public void The_test_process_is_read_exactly()
    {
        var values = Assert.Single(_table.Generate(), row => row[0].Integer == Environment.ProcessId);
        var row = new TableRow(ProcessesTable.Schema, values);
        using var self = Process.GetCurrentProcess();

        Assert.Equal(Environment.ProcessId, row.Integer("pid"));
        Assert.Equal(getppid(), row.Integer("parent"));
        Assert.Equal(Environment.ProcessPath, row.Text("path"));
        Assert.Equal(1, row.Integer("on_disk"));
        Assert.Contains("testhost", row.Text("cmdline"), StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText("/proc/self/cmdline").TrimEnd('\0').Replace('\0', ' '), row.Text("cmdline"));
        Assert.Equal(Environment.CurrentDirectory, row.Text("cwd"));
        Assert.Equal("/", row.Text("root"));
        Assert.Equal(getuid(), row.Integer("uid"));
        Assert.Equal(geteuid(), row.Integer("euid"));
        Assert.Equal(getgid(), row.Integer("gid"));
        Assert.Equal(getegid(), row.Integer("egid"));
        Assert.Equal(getuid(), row.Integer("suid"));
        Assert.Equal(getgid(), row.Integer("sgid"));
        Assert.Equal(getpgrp(), row.Integer("pgroup"));
        Assert.Contains(row.Text("state"), (string[])["R", "S"]);
        Assert.Equal(self.ProcessName, row.Text("name"));
        Assert.Equal(0, row.Integer("wired_size"));
        Assert.True(row.Integer("resident_size") > 1 << 20);
        Assert.True(row.Integer("total_size") >= row.Integer("resident_size"));
        Assert.True(row.Integer("threads") > 1);
        Assert.Equal(0, row.Integer("nice"));
        Assert.True(row.Integer("user_time") + row.Integer("system_time") > 0);
        Assert.True(row.Integer("disk_bytes_read") >= 0);
        Assert.InRange(row.Integer("start_time"), new DateTimeOffset(self.StartTime).ToUnixTimeSeconds() - 2, new DateTimeOffset(self.StartTime).ToUnixTimeSeconds() + 2);
        Assert.Equal(CgroupPathOfSelf(), row.Text("cgroup_path"));
    }

    [Fact]
    public void Init_is_listed_and_try_get_reads_one_pid()
    {
        Assert.Contains(_table.Generate(), row => row[0].Integer == 1);
        Assert.True(_table.TryGet(1, out var init));
        Assert.Equal(1, init[0].Integer);
        Assert.Equal(0, init[ProcessesTable.Schema.IndexOf("parent")].Integer);
    }

    [Fact]
    public void A_process_that_has_exited_is_skipped()
    {
        using var child = Process.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false })!;
        child.WaitForExit();
        var pid = child.Id;

        Assert.False(_table.TryGet(pid, out _));
        Assert.DoesNotContain(_table.Generate(), row => row[0].Integer == pid);
    }

    private static string CgroupPathOfSelf()
    {
        var line = File.ReadAllLines("/proc/self/cgroup")[0];
        return line[(line.IndexOf(':', line.IndexOf(':') + 1) + 1)..];
    }

    [LibraryImport("libc")]
    private static partial int getppid();

    [LibraryImport("libc")]
    private static partial uint getuid();

    [LibraryImport("libc")]
    private static partial uint geteuid();

    [LibraryImport("libc")]
    private static partial uint getgid();

    [LibraryImport("libc")]
    private static partial uint getegid();

    [LibraryImport("libc")]
    private static partial int getpgrp();
}
