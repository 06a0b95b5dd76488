using Vigil.Events;
using Vigil.KernelAbi;
using Vigil.Records;
using Xunit;

namespace Vigil.Tests.Events;

public sealed class AuditEventTests
{
    [Fact]
    public void TheSyscallOfARecordedExec_IsItsArchAndNumber()
    {
        // raw.log's serial 4 is an execve of /bin/echo recorded from the kernel.
        var exec = ExecveArgumentsTests.EventOf("raw.log", 4);

        Assert.True(exec.TryGetSyscall(out var arch, out var number));
        Assert.Equal(0xc000003eU, arch);
        Assert.Equal(59, number);
        Assert.Equal("execve", exec.SyscallName);
    }

    // The reassembler reuses its events: what was read of one must not answer for the next.
    [Fact]
    public void AReusedEvent_AnswersForItsNewRecords()
    {
        var auditEvent = new AuditEvent();
        auditEvent.Reset(Syscall("arch=c000003e syscall=59 success=yes"u8));
        Assert.Equal("execve", auditEvent.SyscallName);

        auditEvent.Reset(Syscall("arch=c000003e syscall=42 success=yes"u8));
        Assert.Equal("connect", auditEvent.SyscallName);

        auditEvent.Reset(new AuditRecord { Type = RecordType.Cwd, Serial = 3, Body = "cwd=\"/\""u8 });
        Assert.False(auditEvent.TryGetSyscall(out _, out _));
        Assert.Null(auditEvent.SyscallName);

        auditEvent.Append(Syscall("arch=40000003 syscall=11 success=yes"u8));
        Assert.True(auditEvent.TryGetSyscall(out var arch, out var number));
        Assert.Equal((0x40000003U, 11), (arch, number));
        Assert.Equal("execve", auditEvent.SyscallName);
    }

    [Theory]
    [InlineData("arch=c000003e syscall=x")]
    [InlineData("arch=zz syscall=59")]
    [InlineData("syscall=59")]
    public void AnUnreadableArchOrNumber_IsNoSyscall(string body)
    {
        var auditEvent = new AuditEvent();
        auditEvent.Reset(Syscall(System.Text.Encoding.ASCII.GetBytes(body)));

        Assert.False(auditEvent.TryGetSyscall(out _, out _));
        Assert.Null(auditEvent.SyscallName);
    }

    [Fact]
    public void ASyscallNoTableNames_HasItsNumberAndNoName()
    {
        var auditEvent = new AuditEvent();
        auditEvent.Reset(Syscall("arch=c000003e syscall=4000 success=yes"u8));

        Assert.True(auditEvent.TryGetSyscall(out _, out var number));
        Assert.Equal(4000, number);
        Assert.Null(auditEvent.SyscallName);
    }

    private static AuditRecord Syscall(ReadOnlySpan<byte> body) =>
        new() { Type = RecordType.Syscall, Serial = 1, Body = body };
}
