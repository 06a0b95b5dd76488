using System.Text;
using Vigil.Records;
using Xunit;

namespace Vigil.Tests.Records;

public sealed class SyscallFieldsTests
{
    // The body of a SYSCALL record from tests/Vigil.Tests/Fixtures/records/raw.log (an execve of /usr/bin/echo).
    private static readonly byte[] Execve = Encoding.ASCII.GetBytes(
        "arch=c000003e syscall=59 success=yes exit=0 a0=5613514f7b80 a1=5613514f2f60 a2=5613514f62e0 a3=e338fa30f03668b2 "
        + "items=2 ppid=6800 pid=6810 auid=4294967295 uid=0 gid=1 euid=2 suid=3 fsuid=4 egid=5 sgid=6 fsgid=7 tty=(none) "
        + "ses=4294967295 comm=\"echo\" exe=\"/usr/bin/echo\" key=\"vigil-fixture\"");

    [Fact]
    public void OnePassFindsEveryFieldTheTablesRead()
    {
        var fields = SyscallFields.Read(Execve);

        Assert.Equal("yes", Encoding.ASCII.GetString(fields.Success));
        Assert.Equal("0", Encoding.ASCII.GetString(fields.Exit));
        Assert.Equal("5613514f7b80", Encoding.ASCII.GetString(fields.A0));
        Assert.Equal(
            "6800 6810 4294967295 0 1 2 3 4 5 6 7",
            string.Join(' ', Encoding.ASCII.GetString(fields.Ppid), Encoding.ASCII.GetString(fields.Pid),
                Encoding.ASCII.GetString(fields.Auid), Encoding.ASCII.GetString(fields.Uid), Encoding.ASCII.GetString(fields.Gid),
                Encoding.ASCII.GetString(fields.Euid), Encoding.ASCII.GetString(fields.Suid), Encoding.ASCII.GetString(fields.Fsuid),
                Encoding.ASCII.GetString(fields.Egid), Encoding.ASCII.GetString(fields.Sgid), Encoding.ASCII.GetString(fields.Fsgid)));
        Assert.Equal("\"/usr/bin/echo\"", Encoding.ASCII.GetString(fields.Exe));
        Assert.True(fields.HasExe);
        Assert.True(fields.HasA0);
    }

    [Fact]
    public void AgreesWithSingleLookUpsOnTheFirstOccurrenceAndOnAbsence()
    {
        var body = "pid=1 pid=2 exe= auid=x"u8;
        var fields = SyscallFields.Read(body);

        Assert.True(AuditFields.TryGet(body, "pid"u8, out var pid));
        Assert.Equal(Encoding.ASCII.GetString(pid), Encoding.ASCII.GetString(fields.Pid));
        Assert.True(fields.HasExe);
        Assert.Equal(0, fields.Exe.Length);
        Assert.False(fields.HasA0);
        Assert.False(SyscallFields.TryParseInt64(fields.Auid, out _));
        Assert.True(SyscallFields.TryParseInt64("-115"u8, out var exit));
        Assert.Equal(-115, exit);
    }

    // Records in the kernel's order are read by comparing each key where it is expected, others by the general reader
    // from the first field out of order: both give each field's first value, as a look-up of it does.
    [Theory]
    [InlineData("arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=2 ppid=10 pid=11 auid=12 uid=13 gid=14 euid=15 suid=16 fsuid=17 egid=18 sgid=19 fsgid=20 tty=pts0 ses=21 comm=\"a b\" exe=\"/bin/x y\" pid=99 key=(null)")]
    [InlineData("arch=c000003e syscall=59 a0=1 a1=2 a2=3 a3=4 items=2 ppid=10 pid=11 auid=12 uid=13 gid=14 euid=15 suid=16 fsuid=17 egid=18 sgid=19 fsgid=20 tty=pts0 ses=21 comm=\"sh\" exe=\"/bin/sh\"")]
    [InlineData("arch=c000003e syscall=59 success=no exit=-2 a0=1 a1=2 a2=3 a3=4 items=0 ppid=10 pid=11 uid=13 auid=12 gid=14 euid=15 suid=16 fsuid=17 egid=18 sgid=19 fsgid=20 tty=(none) ses=21 comm=sh exe=/bin/sh pid=99")]
    [InlineData("arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=2 ppid=10 pid=11 auid=12 uid=13 gid=14 euid=15 suid=16 fsuid=17 egid=18 sgid=19 fsgid=20 tty=pts0 ses=21 comm=\"sh\"")]
    [InlineData("pid=1 arch=c000003e syscall=59 success=yes exit=0 a0=1 exe=\"/bin/sh\" pid=2")]
    public void InOrOutOfTheKernelsOrder_EachFieldIsItsFirstValue(string text)
    {
        var body = Encoding.ASCII.GetBytes(text);
        var fields = SyscallFields.Read(body);

        string[] keys = ["success", "exit", "a0", "a2", "ppid", "pid", "auid", "uid", "fsgid", "tty", "ses", "exe"];
        Assert.Equal(
            string.Join('|', keys.Select(key => Lookup(body, key))),
            string.Join('|', Text(fields.Success), Text(fields.Exit), Text(fields.A0), Text(fields.A2), Text(fields.Ppid),
                Text(fields.Pid), Text(fields.Auid), Text(fields.Uid), Text(fields.Fsgid), Text(fields.Tty), Text(fields.Ses),
                Text(fields.Exe)));
        Assert.Equal(AuditFields.TryGet(body, "exe"u8, out _), fields.HasExe);
    }

    private static string Text(ReadOnlySpan<byte> value) => Encoding.ASCII.GetString(value);

    private static string Lookup(byte[] body, string key) =>
        AuditFields.TryGet(body, Encoding.ASCII.GetBytes(key), out var value) ? Encoding.ASCII.GetString(value) : string.Empty;

    // Where the kernel writes them, arch and syscall lead the body; any other body is looked up field by field.
    [Theory]
    [InlineData("arch=c000003e syscall=59 success=yes", true, 0xc000003eUL, 59L)]
    [InlineData("arch=40000003 syscall=11", true, 0x40000003UL, 11L)]
    [InlineData("syscall=42 arch=c000003e", true, 0xc000003eUL, 42L)]
    [InlineData("arch=c000003e  syscall=41", true, 0xc000003eUL, 41L)]
    [InlineData("arch=c000003e syscall=x", false, 0UL, 0L)]
    [InlineData("arch= syscall=59", false, 0UL, 0L)]
    [InlineData("arch=c000003e", false, 0UL, 0L)]
    [InlineData("", false, 0UL, 0L)]
    public void TheSyscallOfABody_IsReadWhereverItsFieldsAre(string body, bool found, ulong arch, long number)
    {
        Assert.Equal(found, SyscallFields.TryReadSyscall(Encoding.ASCII.GetBytes(body), out var readArch, out var readNumber));
        if (found)
        {
            Assert.Equal((arch, number), (readArch, readNumber));
        }
    }
}
