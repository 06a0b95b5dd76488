using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using Vigil.Bpf;
using Vigil.Tables;
using Xunit;

namespace Vigil.Tests.Bpf;

/// <summary>The record layouts against Programs/vigil.bpf.h, and rows built from records made here.</summary>
public sealed class BpfRecordTests
{
    // sizeof(struct vigil_header): each record's own fields follow it.
    private const int Header = 104;

    private static readonly BpfClock Clock = new(1_000_000_000L * 1_700_000_000);

    [Fact]
    public void Layouts_HaveTheSizesOfTheCStructs()
    {
        // sizeof(struct vigil_header), vigil_exec, vigil_exit, vigil_socket, vigil_file and vigil_exclusion_key in vigil.bpf.h.
        Assert.Equal(
            (Header, Header + 24, Header + 8, Header + 184, Header + 16, 24),
            (Unsafe.SizeOf<BpfHeader>(), Unsafe.SizeOf<BpfExec>(), Unsafe.SizeOf<BpfExit>(), Unsafe.SizeOf<BpfSocket>(), Unsafe.SizeOf<BpfFile>(),
                Unsafe.SizeOf<BpfExclusionKey>()));
    }

    [Theory]
    [InlineData(BpfFileOp.Open, BpfFileState.Writable | BpfFileState.Truncated, "/w/a/../f", "", "truncate /w/f ")]
    [InlineData(BpfFileOp.Open, BpfFileState.Writable | BpfFileState.Truncated | BpfFileState.Created, "/w/f", "", "open /w/f ")]
    [InlineData(BpfFileOp.Open, BpfFileState.None, "/w/f", "", null)]
    [InlineData(BpfFileOp.Close, BpfFileState.None, "/w/f", "", null)]
    [InlineData(BpfFileOp.Close, BpfFileState.Wrote | BpfFileState.Partial, "/w/f", "", "close /w/f ")]
    [InlineData(BpfFileOp.Symlink, BpfFileState.None, "../t", "/w/d/link", "symlink /w/t /w/d/link")]
    [InlineData(BpfFileOp.Rename, BpfFileState.None, "/u/f", "/w/./f", "rename /u/f /w/f")]
    [InlineData(BpfFileOp.Unlink, BpfFileState.None, "/w/skip/f", "", null)]
    [InlineData(BpfFileOp.Mkdir, BpfFileState.None, "/w/d", "", null)]
    public void AFileRecord_GivesTheAuditSourcesRow(BpfFileOp op, BpfFileState state, string path, string destination, string? shown)
    {
        var bytes = FileRecord(op, state, path, destination, "/usr/bin/tar", "/w");
        Assert.True(BpfRecord.TryRead(bytes, out var record));
        var options = new ProcessFileEventsOptions { Patterns = Vigil.Rules.FilePatterns.Parse("""{"c": ["/w/%%"]}""", """{"c": ["/w/skip/%%"]}""") };
        var row = new ColumnValue[ProcessFileEventsTable.Schema.Columns.Count];
        var built = new BpfProcessFileEventsRows(options).TryBuildRow(in record, Clock, row);

        Assert.Equal(shown, built ? $"{row[ProcessFileEventsTable.Operation]} {row[ProcessFileEventsTable.Path]} {row[ProcessFileEventsTable.DestPath]}" : null);
        if (built)
        {
            Assert.Equal(
                "41 7 1700003000 /usr/bin/tar /w 1000 4294967295 0",
                $"{row[ProcessFileEventsTable.Pid]} {row[ProcessFileEventsTable.Ppid]} {row[ProcessFileEventsTable.Time]} {row[ProcessFileEventsTable.Executable]} {row[ProcessFileEventsTable.Cwd]} {row[ProcessFileEventsTable.Uid]} {row[ProcessFileEventsTable.Auid]} {row[ProcessFileEventsTable.Euid]}");
            Assert.Equal((state & BpfFileState.Partial) != 0 ? "true" : "false", row[ProcessFileEventsTable.Partial].Text);
        }
    }

    [Fact]
    public void AnExecRecord_GivesBothProcessTables()
    {
        var bytes = Exec("/usr/bin/printf", "/home/a b", "printf\0%s\n\0two words\0\0");
        Assert.True(BpfRecord.TryRead(bytes, out var record));

        var osquery = new ColumnValue[BpfProcessEventsTable.Schema.Columns.Count];
        Assert.True(new BpfProcessEventsTable().TryBuildRow(in record, Clock, osquery));
        Assert.Equal(
            "42 41 7 1000 100 9 0 0 exec /usr/bin/printf /home/a b printf '%s\n' 'two words'  5000 [\"printf\",\"%s\\n\",\"two words\",\"\"] 3000000005000 1700003000 ",
            string.Join(' ', osquery.Select(c => c.ToString())));

        var process = new ColumnValue[ProcessEventsTable.Schema.Columns.Count];
        Assert.True(new BpfProcessEventsRows(ProcessContext.ForLogFiles(), new FixedFileTimes()).TryBuildRow(in record, Clock, process));
        Assert.Equal("printf %s\n two words ", process[ProcessEventsTable.Cmdline].Text);
        Assert.Equal("0100755", process[ProcessEventsTable.Mode].Text);
        Assert.Equal((1700003000L, 3000L), (process[ProcessEventsTable.Time].Integer, process[ProcessEventsTable.Uptime].Integer));
    }

    [Fact]
    public void AnExecsContext_IsItsParentsExec_AndTheTasksSessionAndTerminal()
    {
        var context = ProcessContext.ForLogFiles();
        var rows = new BpfProcessEventsRows(context, new FixedFileTimes());
        var spec = ProcessEventsTable.Schema;
        var row = new ColumnValue[spec.Columns.Count];
        Assert.True(BpfRecord.TryRead(Exec("/usr/bin/dash", "/", "sh\0-c\0sleep 1; true\0", pid: 7, ppid: 1), out var parent));
        Assert.True(rows.TryBuildRow(in parent, Clock, row));
        Assert.Equal("(none)", row[spec.IndexOf("tty")].Text);
        Assert.True(BpfRecord.TryRead(Exec("/usr/bin/true", "/", "true\0", tty: "pts3"), out var child));
        Assert.True(rows.TryBuildRow(in child, Clock, row));

        Assert.Equal(
            "/usr/bin/dash|sh -c sleep 1; true|5|pts3|",
            string.Join('|', ((string[])["parent_path", "parent_cmdline", "session_id", "tty", "cgroup"]).Select(c => row[spec.IndexOf(c)].ToString())));

        var socket = new ColumnValue[SocketEventsTable.Schema.Columns.Count];
        Assert.True(BpfRecord.TryRead(Connect(pid: 41, ppid: 7), out var connect));
        Assert.True(new BpfSocketEventsRows(new SocketEventsOptions(), context).TryBuildRow(in connect, Clock, socket));
        Assert.Equal("/usr/bin/dash", socket[SocketEventsTable.Schema.IndexOf("parent_path")].Text);
    }

    [Fact]
    public void ARedactedCommandLine_IsMaskedInEveryTableThatHoldsIt()
    {
        var patterns = RedactionPatterns.Create([@"--password=(\S+)"])!;
        Assert.True(BpfRecord.TryRead(Exec("/usr/bin/mysql", "/", "mysql\0--password=hunter2\0", pid: 7, ppid: 1), out var parent));
        var context = ProcessContext.ForLogFiles();
        var process = new ColumnValue[ProcessEventsTable.Schema.Columns.Count];
        Assert.True(new BpfProcessEventsRows(context, new FixedFileTimes()).TryBuildRow(in parent, Clock, process));
        CommandLineRedaction.For(ProcessEventsTable.Schema, patterns)!.Apply(process);
        var osquery = new ColumnValue[BpfProcessEventsTable.Schema.Columns.Count];
        Assert.True(new BpfProcessEventsTable().TryBuildRow(in parent, Clock, osquery));
        CommandLineRedaction.For(BpfProcessEventsTable.Schema, patterns)!.Apply(osquery);
        var socket = new ColumnValue[SocketEventsTable.Schema.Columns.Count];
        Assert.True(BpfRecord.TryRead(Connect(pid: 41, ppid: 7), out var connect));
        Assert.True(new BpfSocketEventsRows(new SocketEventsOptions(), context).TryBuildRow(in connect, Clock, socket));
        CommandLineRedaction.For(SocketEventsTable.Schema, patterns)!.Apply(socket);

        Assert.Equal("mysql --password=***", process[ProcessEventsTable.Cmdline].Text);
        Assert.Equal("mysql --password=***", osquery[BpfProcessEventsTable.Schema.IndexOf("cmdline")].Text);
        Assert.Equal("[\"mysql --password=***\"]", osquery[BpfProcessEventsTable.Schema.IndexOf("json_cmdline")].Text);
        Assert.Equal("mysql --password=***", socket[SocketEventsTable.Schema.IndexOf("parent_cmdline")].Text);
    }

    [Fact]
    public void AShortRecord_IsRefused()
    {
        var bytes = Exec("/usr/bin/true", "/", "true\0");
        Assert.False(BpfRecord.TryRead(bytes.AsSpan(0, bytes.Length - 1), out _));
        Assert.False(BpfRecord.TryRead(bytes.AsSpan(0, 80), out _));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(3 << 8, 3)]
    [InlineData(9, -9)]
    [InlineData(0x8b, -11)]
    public void ExitStatus_IsTheCodeOrMinusTheSignal(long waitStatus, long shown) =>
        Assert.Equal(shown, BpfProcessEventsTable.ExitStatus(waitStatus));

    [Fact]
    public void BufferFlags_SizeTheRingBufferPerCpu_AndTheInflightTable()
    {
        Assert.Equal(4u << 20, BpfLoadOptions.RingBufferBytesFor(10, 1));
        Assert.Equal(16u << 20, BpfLoadOptions.RingBufferBytesFor(10, 3));
        Assert.Equal(1024u, BpfLoadOptions.InflightEntriesFor(512, 2));
        Assert.Equal("--bpf_perf_event_array_exp=19 asks for more than a 1 GiB ring buffer on 4 CPUs",
            Assert.Throws<BpfException>(() => BpfLoadOptions.RingBufferBytesFor(19, 4)).Message);
    }

    [Fact]
    public void ExclusionSyscalls_NameKindsOfEvent()
    {
        Assert.Equal(BpfLoadOptions.Bit(BpfEventKind.Connect) | BpfLoadOptions.Bit(BpfEventKind.Exit), BpfExclusions.Kinds(["connect", "exit_group", "fork"]));
        Assert.Equal(BpfLoadOptions.Bit(BpfEventKind.File), BpfExclusions.Kinds(["openat", "write", "renameat2"]));
        Assert.Equal(0u, BpfExclusions.Kinds(["fork"]));
        Assert.Equal(0x3feu, BpfExclusions.Kinds([]) & 0x3feu);
    }

    private static byte[] Exec(string exe, string cwd, string argv, uint pid = 41, uint ppid = 7, string tty = "")
    {
        var (e, c, a) = (Encoding.UTF8.GetBytes(exe), Encoding.UTF8.GetBytes(cwd), Encoding.UTF8.GetBytes(argv));
        var bytes = new byte[Header + 24 + e.Length + c.Length + a.Length];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)BpfEventKind.Execve);
        BinaryPrimitives.WriteUInt64LittleEndian(span[8..], 3_000_000_005_000);
        BinaryPrimitives.WriteUInt64LittleEndian(span[16..], 5000);
        foreach (var (offset, value) in (ReadOnlySpan<(int, uint)>)[(4, 5), (32, pid), (36, pid + 1), (40, ppid), (44, 1000), (48, 1000), (64, 100), (Header, 0x81ed)])
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[offset..], value);
        }

        BinaryPrimitives.WriteUInt64LittleEndian(span[80..], 9);
        Encoding.ASCII.GetBytes(tty).CopyTo(span[(Header - 16)..]);
        BinaryPrimitives.WriteUInt16LittleEndian(span[(Header + 12)..], (ushort)e.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(span[(Header + 14)..], (ushort)c.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(Header + 16)..], (uint)a.Length);
        e.CopyTo(span[(Header + 24)..]);
        c.CopyTo(span[(Header + 24 + e.Length)..]);
        a.CopyTo(span[(Header + 24 + e.Length + c.Length)..]);
        return bytes;
    }

    // A successful connect to 192.168.0.1:80 from descriptor 3 of /usr/bin/curl.
    private static byte[] Connect(uint pid, uint ppid)
    {
        var exe = Encoding.UTF8.GetBytes("/usr/bin/curl");
        var bytes = new byte[Header + 184 + exe.Length];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)BpfEventKind.Connect);
        BinaryPrimitives.WriteUInt64LittleEndian(span[8..], 3_000_000_005_000);
        foreach (var (offset, value) in (ReadOnlySpan<(int, uint)>)[(32, pid), (36, pid), (40, ppid), (Header, 3)])
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[offset..], value);
        }

        foreach (var (offset, value) in (ReadOnlySpan<(int, ushort)>)[(Header + 8, 2), (Header + 10, 1), (Header + 12, 6), (Header + 14, 16), (Header + 18, 80), (Header + 20, (ushort)exe.Length), (Header + 56, 2)])
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span[offset..], value);
        }

        BinaryPrimitives.WriteUInt16BigEndian(span[(Header + 58)..], 80);
        ((ReadOnlySpan<byte>)[192, 168, 0, 1]).CopyTo(span[(Header + 60)..]);
        exe.CopyTo(span[(Header + 184)..]);
        return bytes;
    }

    private static byte[] FileRecord(BpfFileOp op, BpfFileState state, string path, string destination, string exe, string cwd)
    {
        var strings = new[] { path, destination, exe, cwd }.Select(Encoding.UTF8.GetBytes).ToArray();
        var bytes = new byte[Header + 16 + strings.Sum(text => text.Length)];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)BpfEventKind.File);
        BinaryPrimitives.WriteUInt64LittleEndian(span[8..], 3_000_000_005_000);
        foreach (var (offset, value) in (ReadOnlySpan<(int, uint)>)[(32, 41), (36, 42), (40, 7), (44, uint.MaxValue), (48, 1000)])
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[offset..], value);
        }

        BinaryPrimitives.WriteUInt16LittleEndian(span[Header..], (ushort)op);
        BinaryPrimitives.WriteUInt16LittleEndian(span[(Header + 2)..], (ushort)state);
        var at = Header + 16;
        for (var i = 0; i < strings.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span[(Header + 8 + (2 * i))..], (ushort)strings[i].Length);
            strings[i].CopyTo(span[at..]);
            at += strings[i].Length;
        }

        return bytes;
    }

    private sealed class FixedFileTimes : IFileTimes
    {
        public bool TryGet(string path, out long accessTime, out long modifyTime, out long changeTime, out uint mode)
        {
            (accessTime, modifyTime, changeTime, mode) = (1, 2, 3, 0);
            return true;
        }
    }
}
