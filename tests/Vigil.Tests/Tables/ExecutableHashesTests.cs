using System.Security.Cryptography;
using Vigil.Platform;
using Vigil.Tables;
using Xunit;

namespace Vigil.Tests.Tables;

public sealed class ExecutableHashesTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"vigil-hash-{Guid.NewGuid():N}");

    public ExecutableHashesTests() => File.WriteAllText(_file, "#!/bin/sh\nexit 0\n");

    public void Dispose() => File.Delete(_file);

    [Fact]
    public void An_exec_of_the_file_at_its_path_is_left_for_the_writer_and_hashed_there()
    {
        var row = Assert.Single(TableFixture.RowsOfText(Table(), Exec(Device())));

        Assert.True(row.IsNull("exe_sha256"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(_file))), Complete(new ExecutableHashes(), row.Integer("mtime")));
    }

    [Fact]
    public void A_file_at_the_path_that_the_kernel_did_not_execute_is_not_hashed()
    {
        var (major, minor, inode) = Device();

        Assert.Equal("", Assert.Single(TableFixture.RowsOfText(Table(), Exec((major, minor, inode + 1)))).Text("exe_sha256"));
        Assert.Equal("", Assert.Single(TableFixture.RowsOfText(Table(), Exec((major + 1, minor, inode)))).Text("exe_sha256"));
    }

    [Fact]
    public void Without_the_flag_nothing_is_left_to_hash()
    {
        var table = new ProcessEventsTable(new ProcessEventsOptions(), ProcessContext.ForLogFiles(), new FixedUptime(1), StatxFileTimes.Instance);

        Assert.Equal("", Assert.Single(TableFixture.RowsOfText(table, Exec(Device()))).Text("exe_sha256"));
    }

    [Fact]
    public void A_file_changed_since_its_row_was_built_or_a_finished_cell_is_left_as_it_is()
    {
        var hashes = new ExecutableHashes();
        var modified = new FileInfo(_file).LastWriteTimeUtc;
        var seconds = new DateTimeOffset(modified).ToUnixTimeSeconds();

        Assert.Equal("", Complete(hashes, seconds - 1));
        var row = Row(seconds);
        row[ProcessEventsTable.ExeSha256] = ColumnValue.Of("done");
        hashes.Complete(ProcessEventsTable.Schema, row);
        Assert.Equal("done", row[ProcessEventsTable.ExeSha256].Text);
    }

    private ProcessEventsTable Table() =>
        new(new ProcessEventsOptions { HashExecutables = true }, ProcessContext.ForLogFiles(), new FixedUptime(1), StatxFileTimes.Instance);

    private (uint Major, uint Minor, ulong Inode) Device()
    {
        Assert.Equal(0, Libc.statx(Libc.AT_FDCWD, _file, 0, Libc.STATX_BASIC_STATS, out var stat));
        return (stat.stx_dev_major, stat.stx_dev_minor, stat.stx_ino);
    }

    private string Exec((uint Major, uint Minor, ulong Inode) file) =>
        $"type=SYSCALL msg=audit(1800000000.000:1): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=2 ppid=1 pid=900 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=1 comm=\"x\" exe=\"{_file}\" key=\"k\"\n"
        + "type=EXECVE msg=audit(1800000000.000:1): argc=1 a0=\"x\"\n"
        + $"type=PATH msg=audit(1800000000.000:1): item=0 name=\"{_file}\" inode={file.Inode} dev={file.Major:x2}:{file.Minor:x2} mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL\n";

    private ColumnValue[] Row(long modifyTime)
    {
        var row = new ColumnValue[ProcessEventsTable.Schema.Columns.Count];
        row[ProcessEventsTable.Path] = ColumnValue.Of(_file);
        row[ProcessEventsTable.Mtime] = ColumnValue.Of(modifyTime);
        row[ProcessEventsTable.ExeSha256] = ColumnValue.Null;
        return row;
    }

    private string? Complete(ExecutableHashes hashes, long modifyTime)
    {
        var row = Row(modifyTime);
        hashes.Complete(ProcessEventsTable.Schema, row);
        return row[ProcessEventsTable.ExeSha256].Text;
    }
}
