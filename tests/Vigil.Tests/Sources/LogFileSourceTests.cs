using System.Text;
using Vigil.Events;
using Vigil.KernelAbi;
using Vigil.Records;
using Vigil.Sources;
using Vigil.Tests.Events;
using Vigil.Tests.Records;
using Xunit;

namespace Vigil.Tests.Sources;

public class LogFileSourceTests
{
    private const string Valid = "type=USER msg=audit(1700000000.000:1): pid=1 msg='res=success'";

    private sealed class RecordingSink : IRecordSink
    {
        public List<string> Records { get; } = [];

        public List<int> MalformedLengths { get; } = [];

        public void OnRecord(in AuditRecord record) =>
            Records.Add($"{RecordType.GetName(record.Type)}:{record.Serial}:{Encoding.UTF8.GetString(record.Body)}");

        public void OnMalformed(ReadOnlySpan<byte> raw) => MalformedLengths.Add(raw.Length);
    }

    [Fact]
    public void ReadsARecordedLogIntoEvents()
    {
        var events = new EventCollector();
        var counters = new IngestCounters();
        var reassembler = new Reassembler(events, counters);

        var lines = new LogFileSource(RecordFixtures.PathOf("raw.log")).Read(reassembler);
        reassembler.Flush();

        Assert.Equal(66, lines);
        Assert.Equal(66, counters.RecordsReceived);
        Assert.Equal(0, counters.MalformedRecords);
        Assert.Equal(19, events.Events.Count);
        Assert.Equal("/bin/true " + new string('x', 20000), events.Events.Single(e => e.Serial == 8).CommandLine);
    }

    [Fact]
    public void MissingFileNamesThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), "vigil-no-such-dir", "audit.log");

        var error = Assert.Throws<FileNotFoundException>(() => new LogFileSource(path).Read(new RecordingSink()));

        Assert.Equal($"Audit log file not found: {path}", error.Message);
        Assert.Equal(path, error.FileName);
    }

    [Fact]
    public void OverlongLinesAreMalformedAndSkipped()
    {
        var text = $"{Valid}\n{new string('a', 70_000)}\n{Valid.Replace(":1)", ":2)")}\n{new string('b', 300_000)}\n\r\n{Valid.Replace(":1)", ":3)")}";

        var sink = new RecordingSink();
        var lines = LogFileSource.Read(new MemoryStream(Encoding.ASCII.GetBytes(text)), sink);

        Assert.Equal(6, lines);
        Assert.Equal(["USER:1:pid=1 msg='res=success'", "USER:2:pid=1 msg='res=success'", "USER:3:pid=1 msg='res=success'"], sink.Records);
        Assert.Equal([LogFileSource.MaxLineLength, LogFileSource.MaxLineLength], sink.MalformedLengths);
    }

    [Fact]
    public void LineOfExactlyTheLimitIsKept()
    {
        // The record body stays within the kernel's maximum; ENRICHED interpretations make up the rest of the line.
        var prefix = "type=USER msg=audit(1700000000.000:1): x=" + new string('y', 8000) + "\u001dX=";
        var line = prefix + new string('z', LogFileSource.MaxLineLength - prefix.Length);

        var sink = new RecordingSink();
        LogFileSource.Read(new MemoryStream(Encoding.ASCII.GetBytes(line + "\n" + line)), sink);

        Assert.Equal(2, sink.Records.Count);
        Assert.Empty(sink.MalformedLengths);
    }

    [Fact]
    public void GarbageLinesAreMalformedAndReadingGoesOn()
    {
        var text = $"not a record\n{Valid}\ntype=SYSCALL msg=audit(oops): x=1\n";

        var sink = new RecordingSink();
        LogFileSource.Read(new MemoryStream(Encoding.ASCII.GetBytes(text)), sink);

        Assert.Single(sink.Records);
        Assert.Equal([12, 33], sink.MalformedLengths);
    }

    [Fact]
    public void LinesSplitAcrossSmallReadsAreReassembled()
    {
        var sink = new RecordingSink();
        var bytes = File.ReadAllBytes(RecordFixtures.PathOf("enriched.log"));

        LogFileSource.Read(new TrickleStream(bytes, 7), sink);

        Assert.Equal(39, sink.Records.Count);
        Assert.Empty(sink.MalformedLengths);
        Assert.Equal("SOCKADDR:1023:saddr=020000097F0000010000000000000000", sink.Records.Single(r => r.StartsWith("SOCKADDR:1023")));
    }

    [Fact]
    public void AnEnrichedLastLineWithoutNewline_AfterRawLines_LosesItsInterpretations()
    {
        var text = $"{Valid}\n{Valid}\ntype=USER msg=audit(1700000000.000:9): pid=1\u001dUID=\"root\"";

        var sink = new RecordingSink();
        LogFileSource.Read(new MemoryStream(Encoding.ASCII.GetBytes(text)), sink);

        Assert.Equal("USER:9:pid=1", sink.Records[^1]);
    }

    /// <summary>A stream that returns at most a few bytes per read, as pipes and growing files do.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
    }
}
