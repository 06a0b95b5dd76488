using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Vigil.Events;
using Vigil.Records;
using Vigil.Sources;
using Vigil.Tests.Records;
using Xunit;

namespace Vigil.Tests.Events;

public class IngestPropertyTests
{
    private static readonly byte[][] FixtureLines = RecordFixtures.Lines("raw.log");

    [Fact]
    public void ArbitraryBytesNeverThrow()
    {
        Prop.ForAll<byte[][]>(lines =>
        {
            var reassembler = new Reassembler(new EventCollector(), new IngestCounters(), maxInFlight: 4);
            foreach (var line in lines)
            {
                if (RecordParser.TryParseLogLine(line ?? [], out var record))
                {
                    reassembler.OnRecord(record);
                }
            }

            LogFileSource.Read(new MemoryStream(lines.SelectMany(l => (l ?? []).Append((byte)'\n')).ToArray()), reassembler);
            reassembler.Flush();
            return reassembler.InFlightCount == 0;
        }).QuickCheckThrowOnFailure();
    }

    /// <summary>Real lines with a few bytes changed reach the deeper paths (headers parse, bodies are odd).</summary>
    [Fact]
    public void MutatedRecordedLinesNeverThrow()
    {
        var mutation = from index in Gen.Choose(0, FixtureLines.Length - 1)
                       from edits in Gen.ListOf(Gen.Zip(Gen.Choose(0, 400), Gen.Elements<byte>(0, (byte)' ', (byte)'=', (byte)'"', (byte)'\'', (byte)':', (byte)')', (byte)'9', 0x1D, 0xFF)))
                       select (index, edits);

        Prop.ForAll(Arb.From(Gen.ListOf(mutation)), cases =>
        {
            var counters = new IngestCounters();
            var events = new EventCollector();
            var reassembler = new Reassembler(events, counters, maxInFlight: 8);
            foreach (var (index, edits) in cases)
            {
                var line = (byte[])FixtureLines[index].Clone();
                foreach (var (position, value) in edits)
                {
                    line[position % line.Length] = value;
                }

                if (RecordParser.TryParseLogLine(line, out var record))
                {
                    reassembler.OnRecord(record);
                    AuditFields.TryGetInt64(record.Body, "pid"u8, out _);
                    if (AuditFields.TryGet(record.Body, "saddr"u8, out var saddr))
                    {
                        SockAddr.TryParse(saddr, bigEndian: false, out _);
                    }
                }
                else
                {
                    reassembler.OnMalformed(line);
                }
            }

            reassembler.Flush();
            return counters.RecordsReceived + counters.MalformedRecords == cases.Count
                && events.Events.Sum(e => e.Types.Split(',').Length) + counters.LateRecords <= counters.RecordsReceived;
        }).QuickCheckThrowOnFailure();
    }
}
