using System.Globalization;
using System.Text.RegularExpressions;
using System.Text;
using FsCheck.Fluent;
using FsCheck;
using Vigil.Events;
using Vigil.Pipeline;
using Vigil.Records;
using Vigil.Sources;
using Vigil.Tables;
using Vigil.Tests.Events;
using Vigil.Tests.Records;
using Vigil.Tests.Tables;
using Xunit.Abstractions;
using Xunit;
using Replay = Vigil.Pipeline.Replay;

namespace Vigil.Tests.Properties;

/// <summary>
/// Hostile record streams through the parser and the reassembler: nothing throws, every record is accounted for,
/// and garbage around a valid event does not change its row. Each property runs a fixed number of cases.
/// </summary>
public sealed partial class IngestSequenceProperties(ITestOutputHelper output)
{
    private const int Cases = 300;

    private static readonly Config Bounded = Config.QuickThrowOnFailure.WithMaxTest(Cases).WithQuietOnSuccess(true);
    private static readonly string[] RawLines = [.. RecordFixtures.Lines("raw.log").Select(Encoding.UTF8.GetString)];

    /// <summary>
    /// Fixture records in any order, duplicated or missing, with EOEs added for some serials and every serial
    /// shifted so that the stream crosses 2^32: each record ends up in exactly one event or is counted late.
    /// </summary>
    [Fact]
    public void Any_sequence_of_real_records_is_accounted_for()
    {
        var step = Gen.OneOf(
            Gen.Choose(0, RawLines.Length - 1).Select(i => (Line: i, Eoe: false)),
            Gen.Choose(0, RawLines.Length - 1).Select(i => (Line: i, Eoe: true)));
        var input = from steps in Gen.ListOf(step)
                    from shift in Gen.Elements(0L, (1L << 32) - 40, (1L << 32) - 8700)
                    from maxInFlight in Gen.Choose(1, 16)
                    select (steps, shift, maxInFlight);
        var ran = 0;

        Prop.ForAll(Arb.From(input), value =>
        {
            ran++;
            var (steps, shift, maxInFlight) = value;
            var counters = new IngestCounters();
            var events = new EventCollector();
            var reassembler = new Reassembler(events, counters, maxInFlight: maxInFlight);
            var eoes = 0;
            foreach (var (index, eoe) in steps)
            {
                var line = Shift(RawLines[index], shift);
                if (eoe)
                {
                    line = "type=EOE " + line[line.IndexOf("msg=", StringComparison.Ordinal)..line.IndexOf("): ", StringComparison.Ordinal)] + "): ";
                    eoes++;
                }

                Assert.True(RecordParser.TryParseLogLine(Encoding.UTF8.GetBytes(line), out var record), line);
                reassembler.OnRecord(record);
            }

            reassembler.Flush();
            var kept = events.Events.Sum(e => e.Types.Split(',').Length);
            return reassembler.InFlightCount == 0
                && counters.RecordsReceived == steps.Count
                && counters.MalformedRecords == 0
                && kept + counters.LateRecords == steps.Count - eoes;
        }).Check(Bounded);

        output.WriteLine($"{ran} cases");
        Assert.Equal(Cases, ran);
    }

    /// <summary>Garbage lines anywhere in a recorded log: every one is counted and the rows are those of the clean log.</summary>
    [Fact]
    public void Garbage_between_records_does_not_change_any_row()
    {
        var clean = RecordFixtures.Lines("../tables/exec.log");
        var expected = ProcessRows(clean, out var cleanCounters);
        Assert.Equal(0, cleanCounters.MalformedRecords);
        Assert.NotEmpty(expected);
        var garbageLine = Gen.OneOf(
            ArbMap.Default.GeneratorFor<byte[]>(),
            ArbMap.Default.GeneratorFor<string>().Select(s => Encoding.UTF8.GetBytes("type=SYSCALL msg=audit(" + s)),
            Gen.Choose(0, clean.Length - 1).Select(i => clean[i][..(clean[i].Length / 2)]))
            .Select(bytes => bytes.Select(b => b is (byte)'\n' ? (byte)' ' : b).ToArray())
            .Where(bytes => !RecordParser.TryParseLogLine(bytes, out _) && !bytes.AsSpan().TrimEnd((byte)'\r').IsEmpty);
        var insertion = Gen.Zip(Gen.Choose(0, clean.Length), garbageLine);
        var ran = 0;

        Prop.ForAll(Arb.From(Gen.NonEmptyListOf(insertion)), insertions =>
        {
            ran++;
            var lines = clean.ToList();
            foreach (var (position, garbage) in insertions.OrderByDescending(i => i.Item1))
            {
                lines.Insert(position, garbage);
            }

            var rows = ProcessRows([.. lines], out var counters);
            return rows.SequenceEqual(expected) && counters.MalformedRecords == insertions.Count;
        }).Check(Bounded);

        output.WriteLine($"{ran} cases, {expected.Count} rows each");
        Assert.Equal(Cases, ran);
    }

    /// <summary>Any payload of any type through the netlink parser and on into the reassembler.</summary>
    [Fact]
    public void Arbitrary_netlink_payloads_never_throw()
    {
        var payload = Gen.OneOf(
            ArbMap.Default.GeneratorFor<byte[]>(),
            ArbMap.Default.GeneratorFor<string>().Select(s => Encoding.UTF8.GetBytes("audit(1700000000.123:" + s)));
        var ran = 0;

        Prop.ForAll(Arb.From(Gen.ListOf(Gen.Zip(Gen.Choose(1000, 2999), payload))), messages =>
        {
            ran++;
            var counters = new IngestCounters();
            var reassembler = new Reassembler(new EventCollector(), counters, maxInFlight: 4);
            foreach (var (type, bytes) in messages)
            {
                if (RecordParser.TryParseNetlink(type, bytes, out var record))
                {
                    reassembler.OnRecord(record);
                }
                else
                {
                    reassembler.OnMalformed(bytes);
                }
            }

            reassembler.Flush();
            return counters.RecordsReceived + counters.MalformedRecords == messages.Count && reassembler.InFlightCount == 0;
        }).Check(Bounded);

        output.WriteLine($"{ran} cases");
        Assert.Equal(Cases, ran);
    }

    /// <summary>Any hex (valid digits or not, any length, with real family prefixes) through SockAddr.TryParse.</summary>
    [Fact]
    public void Arbitrary_sockaddr_hex_never_throws()
    {
        var digit = Gen.Elements("0123456789abcdefABCDEFxg \"".ToCharArray());
        var hex = from family in Gen.Elements("", "0100", "0200", "0A00", "1000", "1100", "2800", "FFFF")
                  from rest in Gen.ArrayOf(digit)
                  select Encoding.ASCII.GetBytes(family + new string(rest));
        var ran = 0;
        var parsed = 0;

        Prop.ForAll(Arb.From(Gen.OneOf(hex, ArbMap.Default.GeneratorFor<byte[]>())), bytes =>
        {
            ran++;
            if (SockAddr.TryParse(bytes, bigEndian: false, out _))
            {
                parsed++;
            }

            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(Cases * 10).WithQuietOnSuccess(true));

        output.WriteLine($"{ran} cases, {parsed} parsed as an address");
        Assert.Equal(Cases * 10, ran);
        Assert.True(parsed > 0);
    }

    private static string Shift(string line, long shift)
    {
        var match = SerialPattern().Match(line);
        var serial = (uint.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) + shift) % (1L << 32);
        return line[..match.Groups[1].Index] + serial.ToString(CultureInfo.InvariantCulture) + line[(match.Groups[1].Index + match.Groups[1].Length)..];
    }

    private static List<string> ProcessRows(byte[][] lines, out IngestCounters counters)
    {
        var table = new ProcessEventsTable(new FixedUptime(1), new FakeFileTimes([]));
        var sink = new RowStrings();
        counters = new IngestCounters();
        var replay = Replay.ToRows([table], sink, counters);
        var text = lines.SelectMany(l => l.Append((byte)'\n')).ToArray();
        LogFileSource.Read(new MemoryStream(text), replay);
        replay.Flush();
        return sink.Rows;
    }

    [GeneratedRegex(@"audit\(\d+\.\d+:(\d+)\)")]
    private static partial Regex SerialPattern();

    private sealed class RowStrings : IRowSink
    {
        public List<string> Rows { get; } = [];

        public void Write(TableSpec table, ReadOnlySpan<ColumnValue> row)
        {
            var cells = new string[row.Length];
            for (var i = 0; i < row.Length; i++)
            {
                cells[i] = row[i].IsText && row[i].Text is null ? "NULL" : row[i].ToString();
            }

            Rows.Add(string.Join('|', cells));
        }
    }
}
