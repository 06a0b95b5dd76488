using System.Text;
using Vigil.Bsm;
using Vigil.Events;
using Vigil.Sources;
using Vigil.Tests.Bsm;
using Xunit;

namespace Vigil.Tests.Sources;

/// <summary>Trails read record by record: whole records delivered, damage counted once per run and skipped.</summary>
public sealed class BsmTrailReaderTests
{
    private static BsmTrailWriter Exec(BsmTrailWriter trail, uint pid, string path) =>
        trail.Record(23, 1_700_000_000 + pid, tokens => tokens.ExecArgs(path).Path(path).Subject32(0, 0, 0, 0, 0, pid).Return32(0, 0));

    private static List<string> Paths(BsmFixtures.Collected read) =>
        [.. read.Records.Select(bytes => BsmRecord.TryRead(bytes, out var record) ? Encoding.UTF8.GetString(record.Path) : "?")];

    [Fact]
    public void Records_straddling_reads_arrive_whole_and_file_tokens_are_stepped_over()
    {
        var trail = new BsmTrailWriter().File(1_700_000_000, "/var/audit/20231114221320.not_terminated");
        Exec(Exec(trail, 1, "/bin/a"), 2, "/bin/b").File(1_700_000_009, "/var/audit/20231114221320.20231114221329");

        var whole = BsmFixtures.Read(trail.ToArray());
        var trickled = BsmFixtures.Read(trail.ToArray(), chunk: 7);

        Assert.Equal(["/bin/a", "/bin/b"], Paths(whole));
        Assert.Equal([(1_700_000_001L, 0), (1_700_000_002L, 0)], whole.Times);
        Assert.Equal((0, 2L), (whole.Malformed, whole.Count));
        Assert.Equal(Paths(whole), Paths(trickled));
    }

    [Fact]
    public void A_trail_cut_inside_its_last_record_counts_that_record_malformed()
    {
        var trail = Exec(Exec(new BsmTrailWriter(), 1, "/bin/a"), 2, "/bin/b").ToArray();

        var read = BsmFixtures.Read(trail[..^10]);

        Assert.Equal(["/bin/a"], Paths(read));
        Assert.Equal((1, 2L), (read.Malformed, read.Count));
    }

    [Fact]
    public void A_record_longer_than_the_file_is_malformed_and_the_records_inside_its_count_still_read()
    {
        var trail = new BsmTrailWriter().Raw(0x14, 0x00, 0x00, 0x40, 0x00, 11, 0, 23);
        Exec(Exec(trail, 1, "/bin/a"), 2, "/bin/b");

        var read = BsmFixtures.Read(trail.ToArray(), chunk: 100);

        Assert.Equal(["/bin/a", "/bin/b"], Paths(read));
        Assert.Equal((1, 3L), (read.Malformed, read.Count));
    }

    [Fact]
    public void Bytes_between_records_and_a_count_past_the_bound_are_one_malformed_run_each()
    {
        var trail = Exec(new BsmTrailWriter(), 1, "/bin/a").Raw(0xde, 0xad, 0x14, 0xbe, 0xef);
        Exec(trail, 2, "/bin/b").Raw(0x14, 0x00, 0x10, 0x00, 0x00, 11, 0, 23, 0, 0);
        Exec(trail, 3, "/bin/c");

        var read = BsmFixtures.Read(trail.ToArray());

        Assert.Equal(["/bin/a", "/bin/b", "/bin/c"], Paths(read));
        Assert.Equal(2, read.Malformed);
    }

    [Fact]
    public void A_record_with_a_damaged_token_is_skipped_by_its_count()
    {
        var trail = Exec(new BsmTrailWriter(), 1, "/bin/a")
            .Record(23, 1, tokens => tokens.Byte(0x23).UInt16(900).Bytes(Encoding.ASCII.GetBytes("/bin")));
        Exec(trail, 3, "/bin/c");

        var read = BsmFixtures.Read(trail.ToArray());

        Assert.Equal(["/bin/a", "/bin/c"], Paths(read));
        Assert.Equal((1, 3L), (read.Malformed, read.Count));
    }

    [Fact]
    public void A_log_file_source_tells_a_trail_from_text_by_its_first_byte()
    {
        var trail = Exec(Exec(new BsmTrailWriter(), 1, "/bin/a"), 2, "/bin/b").ToArray();
        var counters = new IngestCounters();
        var sink = new CountingEvents();

        var records = LogFileSource.Read(new MemoryStream(trail), new Reassembler(sink, counters));

        Assert.Equal(2, records);
        Assert.Equal((2L, 2L, 0L, 0L), (counters.RecordsReceived, counters.EventsBuilt, counters.MalformedRecords, counters.SequenceGaps));
        Assert.Equal(2, sink.Events);
    }

    [Fact]
    public void An_empty_trail_or_one_of_garbage_reads_nothing_without_failing()
    {
        Assert.Equal((0, 0, 0L), (BsmFixtures.Read([]).Records.Count, BsmFixtures.Read([]).Malformed, BsmFixtures.Read([]).Count));
        var garbage = BsmFixtures.Read([0x14, .. Enumerable.Repeat((byte)0x14, 70_000)], chunk: 4096);
        Assert.Equal((0, 1), (garbage.Records.Count, garbage.Malformed));
    }

    [Theory]
    [InlineData("type=SYSCALL msg=audit(1.0:1)", false)]
    [InlineData("node=host type=EXECVE", false)]
    [InlineData("", false)]
    [InlineData("\u0011\ntype=SYSCALL msg=audit(1.0:1)", false)]
    public void Auditd_text_is_not_a_trail(string text, bool isTrail)
    {
        Assert.Equal(isTrail, BsmTrailReader.IsTrail(Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void A_header_or_file_token_starts_a_trail()
    {
        Assert.True(BsmTrailReader.IsTrail(Exec(new BsmTrailWriter(), 1, "/bin/a").ToArray()));
        Assert.True(BsmTrailReader.IsTrail(new BsmTrailWriter().File(1, "x").ToArray()));
        Assert.True(BsmTrailReader.IsTrail(File.ReadAllBytes(BsmFixtures.PathOf("apple.bsm"))));
        Assert.False(BsmTrailReader.IsTrail([0x74, 0x00, 0x00, 0x00, 0x30, 99]));
    }

    private sealed class CountingEvents : IAuditEventSink
    {
        public int Events { get; private set; }

        public void OnEvent(AuditEvent auditEvent) => Events++;
    }
}
