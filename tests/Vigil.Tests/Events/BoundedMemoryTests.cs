using System.Buffers.Binary;
using System.Buffers.Text;
using System.Diagnostics;
using System.Text;
using Vigil.Events;
using Vigil.KernelAbi;
using Vigil.Netlink;
using Vigil.Records;
using Vigil.Sources;
using Vigil.Tests.Store;
using Xunit;

namespace Vigil.Tests.Events;

/// <summary>Hostile volumes and sizes: what Vigil holds stays bounded, and what it refuses is counted.</summary>
public sealed class BoundedMemoryTests
{
    [Fact]
    public void A_million_serials_without_EOE_keep_in_flight_events_bounded_and_allocate_nothing_once_at_the_cap()
    {
        const int serials = 1_000_000;
        var counters = new IngestCounters();
        var events = new CountingSink();
        var reassembler = new Reassembler(events, counters);
        var line = new byte[256];
        var prefix = "type=SYSCALL msg=audit(1700000000.000:"u8;
        prefix.CopyTo(line);
        var suffix = "): arch=c000003e syscall=59 success=yes exit=0 items=0 ppid=1 pid=2 uid=0 comm=\"x\" exe=\"/x\""u8;
        long allocatedAtCap = 0;
        var peakInFlight = 0;
        for (var serial = 1; serial <= serials; serial++)
        {
            Utf8Formatter.TryFormat(serial, line.AsSpan(prefix.Length), out var digits);
            suffix.CopyTo(line.AsSpan(prefix.Length + digits));
            Assert.True(RecordParser.TryParseLogLine(line.AsSpan(0, prefix.Length + digits + suffix.Length), out var record));
            reassembler.OnRecord(record);
            peakInFlight = Math.Max(peakInFlight, reassembler.InFlightCount);
            if (serial == 2 * Reassembler.DefaultMaxInFlight)
            {
                allocatedAtCap = GC.GetAllocatedBytesForCurrentThread();
            }
        }

        // What this thread allocated, not the process's heap, which tests running beside this one grow too (CI saw 7 MB):
        // once at the cap, every event is evicted into one the sink handed back, so nothing is allocated at all.
        var allocatedAtEnd = GC.GetAllocatedBytesForCurrentThread();

        Assert.Equal(Reassembler.DefaultMaxInFlight, peakInFlight);
        Assert.Equal(serials - Reassembler.DefaultMaxInFlight, counters.EventsEvicted);
        Assert.Equal(serials - Reassembler.DefaultMaxInFlight, events.Count);
        Assert.Equal(0, allocatedAtEnd - allocatedAtCap);
        reassembler.Flush();
        Assert.Equal(0, reassembler.InFlightCount);
        Assert.Equal(serials, events.Count);
    }

    [Fact]
    public void A_netlink_payload_longer_than_the_kernel_maximum_is_counted_as_malformed()
    {
        var counters = new IngestCounters();
        var source = new KernelSource(null!, new Reassembler(new CountingSink(), counters));
        var fits = Payload(RecordParser.MaxAuditMessageLength);
        var tooLong = Payload(RecordParser.MaxAuditMessageLength + 1);

        source.Dispatch(Datagram(fits));
        source.Dispatch(Datagram(tooLong));

        Assert.Equal((2, 1), (source.Records, source.Malformed));
        Assert.Equal((1, 1), (counters.RecordsReceived, counters.MalformedRecords));
    }

    [Fact]
    public void A_datagram_cut_short_by_the_receive_buffer_is_counted_as_malformed()
    {
        var counters = new IngestCounters();
        var source = new KernelSource(null!, new Reassembler(new CountingSink(), counters));
        var datagram = Datagram(Payload(100));
        BinaryPrimitives.WriteUInt32LittleEndian(datagram, (uint)Vigil.Netlink.AuditClient.RecordBufferBytes + 1000);

        source.Dispatch(datagram);

        Assert.Equal((1, 1), (source.Records, source.Malformed));
        Assert.Equal((0, 1), (counters.RecordsReceived, counters.MalformedRecords));
    }

    [Fact]
    public void A_log_record_body_longer_than_the_kernel_maximum_is_malformed_but_a_long_enriched_line_is_not()
    {
        var prefix = "type=USER_CMD msg=audit(1700000000.000:7): "u8.ToArray();
        var fits = prefix.Concat(Body(RecordParser.MaxAuditMessageLength)).ToArray();
        var tooLong = prefix.Concat(Body(RecordParser.MaxAuditMessageLength + 1)).ToArray();
        var enriched = fits.Append(RecordParser.EnrichmentSeparator).Concat(Encoding.ASCII.GetBytes("UID=\"" + new string('r', 30000) + "\"")).ToArray();

        Assert.True(RecordParser.TryParseLogLine(fits, out var record));
        Assert.Equal(RecordParser.MaxAuditMessageLength, record.Body.Length);
        Assert.False(RecordParser.TryParseLogLine(tooLong, out _));
        Assert.True(RecordParser.TryParseLogLine(enriched, out record));
        Assert.Equal(30006, record.Enrichment.Length);

        var counters = new IngestCounters();
        var lines = LogFileSource.Read(new MemoryStream([.. fits, (byte)'\n', .. tooLong, (byte)'\n', .. enriched, (byte)'\n']), new Reassembler(new CountingSink(), counters));
        Assert.Equal((3, 2, 1), (lines, counters.RecordsReceived, counters.MalformedRecords));
    }

    [Fact]
    public void A_100_MB_garbage_log_is_read_in_constant_memory_and_every_line_is_counted()
    {
        using var directory = new TempDirectory();
        var path = directory.File("garbage.log");
        var expectedLines = WriteGarbage(path, 100 << 20);
        var counters = new IngestCounters();
        var reassembler = new Reassembler(new CountingSink(), counters);
        var clock = Stopwatch.StartNew();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        var lines = new LogFileSource(path).Read(reassembler);

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.Equal(expectedLines, lines);
        Assert.Equal(expectedLines, counters.MalformedRecords);
        Assert.Equal(0, counters.RecordsReceived);
        Assert.True(allocated < 1 << 20, $"reading 100 MB allocated {allocated} bytes");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"reading 100 MB took {clock.Elapsed}");
    }

    // Random bytes without newlines cut into lines of 0..300 bytes, one in 500 longer than the 64 KiB line limit; no
    // line starts with "type=" or "node=", so none is a record. Returns the number of non-empty lines.
    private static long WriteGarbage(string path, long size)
    {
        var random = new Random(6);
        var chunk = new byte[1 << 20];
        long lines = 0;
        using var file = File.Create(path);
        while (file.Length < size)
        {
            random.NextBytes(chunk);
            var position = 0;
            while (position < chunk.Length)
            {
                var length = random.Next(500) == 0 ? 70_000 : random.Next(1, 300);
                var end = Math.Min(position + length, chunk.Length - 1);
                for (var i = position; i < end; i++)
                {
                    if (chunk[i] is (byte)'\n' or (byte)'\r')
                    {
                        chunk[i] = (byte)'x';
                    }
                }

                chunk[position] = (byte)'#';
                chunk[end] = (byte)'\n';
                lines++;
                position = end + 1;
            }

            file.Write(chunk);
        }

        return lines;
    }

    private static byte[] Body(int length) => Encoding.ASCII.GetBytes("msg='" + new string('a', length - 6) + "'");

    private static byte[] Payload(int length)
    {
        var stamp = "audit(1700000000.000:1): "u8;
        var payload = new byte[length];
        stamp.CopyTo(payload);
        payload.AsSpan(stamp.Length).Fill((byte)'a');
        "pid=1 "u8.CopyTo(payload.AsSpan(stamp.Length));
        return payload;
    }

    // struct nlmsghdr (include/uapi/linux/netlink.h) then the payload, as the kernel sends a SYSCALL (1300) record.
    private static byte[] Datagram(byte[] payload)
    {
        var datagram = new byte[16 + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(datagram, (uint)datagram.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(datagram.AsSpan(4), (ushort)RecordType.Syscall);
        payload.CopyTo(datagram, 16);
        return datagram;
    }

    private sealed class CountingSink : IAuditEventSink
    {
        public long Count { get; private set; }

        public void OnEvent(AuditEvent auditEvent) => Count++;
    }
}
