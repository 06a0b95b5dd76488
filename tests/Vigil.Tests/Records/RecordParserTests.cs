using System.Text;
using Vigil.KernelAbi;
using Vigil.Records;
using Xunit;
using static Vigil.Tests.Records.RecordFixtures;

namespace Vigil.Tests.Records;

public class RecordParserTests
{
    [Fact]
    public void RawLineGivesHeaderAndBody()
    {
        var line = Line("raw.log", "CWD", 4);

        Assert.True(RecordParser.TryParseLogLine(line, out var record));

        Assert.Equal(RecordType.Cwd, record.Type);
        Assert.Equal(1795267961, record.Seconds);
        Assert.Equal(232, record.Milliseconds);
        Assert.Equal(4u, record.Serial);
        Assert.True(record.Node.IsEmpty);
        Assert.Equal("cwd=\"/tmp/records-fx\"", Text(record.Body));
        Assert.True(record.Enrichment.IsEmpty);
    }

    [Fact]
    public void EnrichedLineSplitsBodyFromEnrichmentAndReadsNode()
    {
        var line = Line("enriched.log", "SOCKADDR", 1023);

        Assert.True(RecordParser.TryParseLogLine(line, out var record));

        Assert.Equal(RecordType.Sockaddr, record.Type);
        Assert.Equal(1795268064, record.Seconds);
        Assert.Equal(404, record.Milliseconds);
        Assert.Equal(1023u, record.Serial);
        Assert.Equal("fixture-node", Text(record.Node));
        Assert.Equal("saddr=020000097F0000010000000000000000", Text(record.Body));
        Assert.Equal("SADDR={ saddr_fam=inet laddr=127.0.0.1 lport=9 }", Text(record.Enrichment));
    }

    [Fact]
    public void EveryFixtureLineParses()
    {
        var types = new List<string>();
        foreach (var name in new[] { "raw.log", "enriched.log" })
        {
            foreach (var line in Lines(name))
            {
                Assert.True(RecordParser.TryParseLogLine(line, out var record), Text(line));
                types.Add(RecordType.GetName(record.Type));
            }
        }

        Assert.Equal(105, types.Count);
        Assert.Equal(
            ["BPRM_FCAPS", "CONFIG_CHANGE", "CRED_ACQ", "CRED_DISP", "CWD", "DAEMON_END", "DAEMON_START", "EXECVE",
             "PATH", "PROCTITLE", "SOCKADDR", "SYSCALL", "USER", "USER_END", "USER_START"],
            types.Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ContinuedExecveRecordKeepsItsPieceWithoutLeadingSpaces()
    {
        var line = Lines("raw.log").Where(l => Text(l).Contains("a1[3]=")).Single();

        Assert.True(RecordParser.TryParseLogLine(line, out var record));

        Assert.Equal(RecordType.Execve, record.Type);
        Assert.StartsWith("a1[3]=787878", Text(record.Body));
    }

    [Fact]
    public void UserRecordBodyKeepsTheQuotedMessage()
    {
        var line = Line("raw.log", "USER_START", 23);

        Assert.True(RecordParser.TryParseLogLine(line, out var record));

        Assert.Equal(RecordType.UserStart, record.Type);
        Assert.Equal(
            "pid=6821 uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:session_open grantors=pam_keyinit,pam_limits,pam_unix acct=\"root\" exe=\"/usr/sbin/runuser\" hostname=? addr=? terminal=? res=success'",
            Text(record.Body));
    }

    [Theory]
    [InlineData("type=UNKNOWN[1334] msg=audit(1700000000.001:7): x=1", 1334)]
    [InlineData("type=PROCTITLE msg=audit(1700000000.001:7): proctitle=6C73\r\n", RecordType.Proctitle)]
    [InlineData("node=a.b type=EOE msg=audit(1700000000.001:7): ", RecordType.Eoe)]
    public void TypeNamesAndUnknownNumbers(string line, int type)
    {
        Assert.True(RecordParser.TryParseLogLine(line.Select(c => (byte)c).ToArray(), out var record));

        Assert.Equal(type, record.Type);
        Assert.Equal(7u, record.Serial);
        Assert.Equal(1, record.Milliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("type=SYSCALL")]
    [InlineData("type=NOT_A_TYPE msg=audit(1700000000.001:7): x=1")]
    [InlineData("type=UNKNOWN[] msg=audit(1700000000.001:7): x=1")]
    [InlineData("type=UNKNOWN[-5] msg=audit(1700000000.001:7): x=1")]
    [InlineData("type=SYSCALL msg=audit(1700000000.01:7): x=1")]
    [InlineData("type=SYSCALL msg=audit(1700000000.0012:7): x=1")]
    [InlineData("type=SYSCALL msg=audit(-1700000000.001:7): x=1")]
    [InlineData("type=SYSCALL msg=audit(1700000000.001:7x): x=1")]
    [InlineData("type=SYSCALL msg=audit(1700000000.001:4294967296): x=1")]
    [InlineData("type=SYSCALL msg=audit(1700000000.001:7) x=1")]
    [InlineData("type=SYSCALL msg=audit(+1700000000.001:7): x=1")]
    [InlineData("type=SYSCALL msg=audit(.001:7): x=1")]
    [InlineData("type=SYSCALL msg=audit(1700000000.001:): x=1")]
    [InlineData("type=SYSCALL msg=audit(9223372036854775808.001:7): x=1")]
    [InlineData("type=SYSCALL msg=audit(18446744073709551616.001:7): x=1")]
    [InlineData("type=SYSCALL msg=audit(00000000000000000001.001:7): x=1")]
    [InlineData("node=only")]
    [InlineData("xtype=SYSCALL msg=audit(1700000000.001:7): x=1")]
    public void MalformedLinesAreRejected(string line)
    {
        Assert.False(RecordParser.TryParseLogLine(line.Select(c => (byte)c).ToArray(), out _));
    }

    [Fact]
    public void TheLargestSecondsAndSerial_AreRead()
    {
        Assert.True(RecordParser.TryParseLogLine("type=SYSCALL msg=audit(9223372036854775807.999:4294967295): x=1"u8, out var record));

        Assert.Equal((long.MaxValue, 999, uint.MaxValue), (record.Seconds, record.Milliseconds, record.Serial));
        Assert.Equal("x=1", Encoding.UTF8.GetString(record.Body));
    }

    [Fact]
    public void NetlinkPayloadTrimsNulAndNewline()
    {
        var payload = "audit(1700000000.123:456): arch=c000003e syscall=59\n\0\0"u8;

        Assert.True(RecordParser.TryParseNetlink(RecordType.Syscall, payload, out var record));

        Assert.Equal(RecordType.Syscall, record.Type);
        Assert.Equal(1700000000, record.Seconds);
        Assert.Equal(123, record.Milliseconds);
        Assert.Equal(456u, record.Serial);
        Assert.Equal("arch=c000003e syscall=59", Text(record.Body));
        Assert.True(record.Node.IsEmpty);
    }

    [Fact]
    public void NetlinkEoeHasAnEmptyBody()
    {
        Assert.True(RecordParser.TryParseNetlink(RecordType.Eoe, "audit(1700000000.123:4294967295): \0"u8, out var record));

        Assert.Equal(uint.MaxValue, record.Serial);
        Assert.True(record.Body.IsEmpty);
    }

    [Fact]
    public void NetlinkRejectsATextWithoutHeader()
    {
        Assert.False(RecordParser.TryParseNetlink(RecordType.Syscall, "arch=c000003e"u8, out _));
    }

    [Theory]
    [InlineData(RecordType.Syscall, "SYSCALL")]
    [InlineData(RecordType.UserStart, "USER_START")]
    [InlineData(1329, "REPLACE")]
    [InlineData(9999, "UNKNOWN[9999]")]
    public void TypeNamesRoundTrip(int type, string name)
    {
        Assert.Equal(name, RecordType.GetName(type));
        Assert.True(RecordType.TryGetNumber(name.Select(c => (byte)c).ToArray(), out var number));
        Assert.Equal(type, number);
    }

    [Fact]
    public void ParsingLogLinesAndReadingFieldsAllocatesNothing()
    {
        var lines = Lines("enriched.log");
        long Parse()
        {
            long sum = 0;
            foreach (var line in lines)
            {
                if (RecordParser.TryParseLogLine(line, out var record)
                    && AuditFields.TryGetInt64(record.Body, "pid"u8, out var pid))
                {
                    sum += pid + record.Serial;
                }
            }

            return sum;
        }

        var expected = Parse();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var sum = Parse();

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(expected, sum);
    }
}
