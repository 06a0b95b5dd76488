using Vigil.Events;
using Vigil.KernelAbi;
using Vigil.Records;
using Vigil.Tables;
using Vigil.Tests.Events;
using Xunit;

namespace Vigil.Tests.Tables;

public sealed class PendingCommandLineTests
{
    // raw.log's serial 3 has a PROCTITLE and no EXECVE, 4 hex, quoted and UTF-8 arguments, 8 one argument over six
    // EXECVE records.
    [Theory]
    [InlineData(3u, "auditctl -a always,exit -F arch b64 -S execve,execveat,connect,bind -k vigil-fixture")]
    [InlineData(4u, "/bin/echo hello world say \"hi\" plain naïve")]
    [InlineData(8u, null)]
    public void AKeptCommandLine_JoinsAsTheEventItCameFrom(uint serial, string? expected)
    {
        var auditEvent = ExecveArgumentsTests.EventOf("raw.log", serial);
        var kept = PendingCommandLine.Keep(auditEvent);

        var joined = PendingCommandLine.Join(kept, new AuditEvent());

        Assert.Equal(ExecveArguments.CommandLineOrTitle(auditEvent), joined);
        Assert.Equal(expected ?? "/bin/true " + new string('x', 20000), joined);
    }

    [Fact]
    public void AnExecWithoutArgumentsOrTitle_KeepsNothing_AndJoinsToNothing()
    {
        var auditEvent = new AuditEvent();
        auditEvent.Reset(new AuditRecord { Type = RecordType.Syscall, Serial = 1, Body = "syscall=59 success=yes"u8 });
        auditEvent.Append(new AuditRecord { Type = RecordType.Cwd, Serial = 1, Body = "cwd=\"/\""u8 });

        var kept = PendingCommandLine.Keep(auditEvent);

        Assert.Empty(kept);
        Assert.Equal(string.Empty, PendingCommandLine.Join(kept, new AuditEvent()));
    }
}
