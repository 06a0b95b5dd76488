using System.Text;
using Vigil.Events;
using Vigil.KernelAbi;
using Vigil.Records;
using Vigil.Tests.Records;
using Xunit;

namespace Vigil.Tests.Events;

public class ExecveArgumentsTests
{
    internal static AuditEvent EventOf(string fixture, uint serial)
    {
        var auditEvent = new AuditEvent();
        var started = false;
        foreach (var line in RecordFixtures.Lines(fixture))
        {
            Assert.True(RecordParser.TryParseLogLine(line, out var record));
            if (record.Serial != serial || RecordType.IsDaemon(record.Type))
            {
                continue;
            }

            if (started)
            {
                auditEvent.Append(record);
            }
            else
            {
                auditEvent.Reset(record);
                started = true;
            }
        }

        Assert.True(started);
        return auditEvent;
    }

    private static AuditEvent EventOfBodies(params string[] execveBodies)
    {
        var auditEvent = new AuditEvent();
        auditEvent.Reset(new AuditRecord { Type = RecordType.Syscall, Serial = 1, Body = "syscall=59 a0=1 a1=2"u8 });
        foreach (var body in execveBodies)
        {
            auditEvent.Append(new AuditRecord { Type = RecordType.Execve, Serial = 1, Body = Encoding.UTF8.GetBytes(body) });
        }

        return auditEvent;
    }

    [Fact]
    public void HexQuotedAndUtf8ArgumentsAreDecoded()
    {
        Assert.Equal("/bin/echo hello world say \"hi\" plain naïve", ExecveArguments.JoinCommandLine(EventOf("raw.log", 4)));
    }

    [Fact]
    public void MoreThanTenArgumentsKeepTheirOrder()
    {
        Assert.Equal(
            "/bin/true a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12",
            ExecveArguments.JoinCommandLine(EventOf("enriched.log", 999)));
    }

    [Fact]
    public void ArgumentSplitOverSixRecordsIsJoined()
    {
        var auditEvent = EventOf("raw.log", 8);

        Assert.Equal(6, Enumerable.Range(0, auditEvent.RecordCount).Count(i => auditEvent.GetRecordType(i) == RecordType.Execve));
        Assert.Equal("/bin/true " + new string('x', 20000), ExecveArguments.JoinCommandLine(auditEvent));
    }

    [Fact]
    public void PiecesOutOfOrderAreSorted()
    {
        var auditEvent = EventOfBodies("argc=3 a0=\"ls\" a1_len=8 a1[1]=6364", "a1[0]=6162 a2=\"-l\"");

        Assert.Equal("ls abcd -l", ExecveArguments.JoinCommandLine(auditEvent));
    }

    [Fact]
    public void NullAndInvalidUtf8()
    {
        var auditEvent = EventOfBodies("argc=3 a0=\"x\" a1=(null) a2=FF41");

        Assert.Equal("x  \uFFFDA", ExecveArguments.JoinCommandLine(auditEvent));
    }

    [Fact]
    public void NoExecveGivesEmpty()
    {
        Assert.Equal(string.Empty, ExecveArguments.JoinCommandLine(EventOf("raw.log", 29)));
    }
}
