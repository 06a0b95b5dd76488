using System.Globalization;
using System.Text;
using Vigil.Events;
using Vigil.KernelAbi;
using Vigil.Pipeline;
using Vigil.Records;

namespace Vigil.Benchmarks;

/// <summary>
/// The recorded fixture events (tests/Vigil.Tests/Fixtures) repeated into a long netlink stream, as the kernel sends it:
/// each event renumbered with its own serial and a time 1 ms after the previous one, and multi-record events closed by EOE.
/// </summary>
public sealed class RecordedStream
{
    private const long FirstMilliseconds = 1_795_267_961_000;

    private static readonly string[] FixtureFiles =
    [
        "Fixtures/raw.log",
        "Fixtures/tables/exec.log",
        "Fixtures/tables/exec-large.log",
        "Fixtures/tables/sockets.log",
        "Fixtures/tables/user.log",
    ];

    // Ordinary execs, connects and logins only (no record over 400 bytes): what a busy host mostly sends.
    private static readonly string[] TypicalFixtureFiles =
    [
        "Fixtures/tables/exec.log",
        "Fixtures/tables/sockets.log",
        "Fixtures/tables/user.log",
    ];

    private RecordedStream(int[] types, byte[][] payloads, int events)
    {
        Types = types;
        Payloads = payloads;
        EventCount = events;
    }

    /// <summary>The nlmsg_type of each record.</summary>
    public int[] Types { get; }

    /// <summary>The netlink payload of each record: <c>audit(SEC.MS:SERIAL): body</c>.</summary>
    public byte[][] Payloads { get; }

    /// <summary>Records in the stream, EOE included.</summary>
    public int RecordCount => Payloads.Length;

    /// <summary>Events (distinct serials) in the stream.</summary>
    public int EventCount { get; }

    /// <summary>The fixture events repeated until the stream holds <paramref name="events"/> events.</summary>
    public static RecordedStream Build(int events) => Build(events, FixtureFiles);

    /// <summary>
    /// The small exec, socket and user fixture events (not raw.log's 20 KB argument nor exec-large.log's 200 KB command
    /// line) repeated until the stream holds <paramref name="events"/> events.
    /// </summary>
    public static RecordedStream BuildTypical(int events) => Build(events, TypicalFixtureFiles);

    private static RecordedStream Build(int events, string[] files)
    {
        var recorded = ReadFixtureEvents(files);
        var types = new List<int>();
        var payloads = new List<byte[]>();
        for (var i = 0; i < events; i++)
        {
            var records = recorded[i % recorded.Count];
            var milliseconds = FirstMilliseconds + i;
            var header = string.Create(CultureInfo.InvariantCulture, $"audit({milliseconds / 1000}.{milliseconds % 1000:D3}:{i + 1}): ");
            foreach (var (type, body) in records)
            {
                types.Add(type);
                payloads.Add(Encoding.UTF8.GetBytes(header + body));
            }

            if (HasSyscall(records))
            {
                types.Add(RecordType.Eoe);
                payloads.Add(Encoding.UTF8.GetBytes(header));
            }
        }

        return new RecordedStream([.. types], [.. payloads], events);
    }

    /// <summary>Parses every payload and hands each record to <paramref name="sink"/>, as the kernel source does.</summary>
    public void Feed(IRecordSink sink)
    {
        var payloads = Payloads;
        var types = Types;
        for (var i = 0; i < payloads.Length; i++)
        {
            if (RecordParser.TryParseNetlink(types[i], payloads[i], out var record))
            {
                sink.OnRecord(record);
            }
        }
    }

    /// <summary>The stream's events through the replay, each an owned copy (the reassembler recycles its instances).</summary>
    public AuditEvent[] ToEvents()
    {
        var copies = new EventCopies();
        var replay = new Replay(copies);
        Feed(replay);
        replay.Flush();
        return [.. copies.Events];
    }

    /// <summary>Syscall events are the ones the kernel closes with EOE.</summary>
    private static bool HasSyscall(List<(int Type, string Body)> records)
    {
        foreach (var (type, _) in records)
        {
            if (type == RecordType.Syscall)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Throws when the stream does not have the size a benchmark's OperationsPerInvoke was written for.</summary>
    public void Expect(int records, int events)
    {
        if (RecordCount != records || EventCount != events)
        {
            throw new InvalidOperationException($"stream has {RecordCount} records in {EventCount} events, expected {records} in {events}");
        }
    }

    /// <summary>Every event of the fixture files, in log order, as (type, body) records.</summary>
    private static List<List<(int Type, string Body)>> ReadFixtureEvents(string[] files)
    {
        var events = new List<List<(int Type, string Body)>>();
        foreach (var file in files)
        {
            var bySerial = new Dictionary<uint, List<(int Type, string Body)>>();
            foreach (var line in File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, file)))
            {
                if (!RecordParser.TryParseLogLine(Encoding.UTF8.GetBytes(line), out var record))
                {
                    throw new InvalidDataException($"{file}: not an audit record: {line}");
                }

                if (!bySerial.TryGetValue(record.Serial, out var records))
                {
                    records = [];
                    bySerial.Add(record.Serial, records);
                    events.Add(records);
                }

                records.Add((record.Type, Encoding.UTF8.GetString(record.Body)));
            }
        }

        return events;
    }

    private sealed class EventCopies : IAuditEventSink
    {
        public List<AuditEvent> Events { get; } = [];

        public void OnEvent(AuditEvent auditEvent)
        {
            var copy = new AuditEvent();
            for (var i = 0; i < auditEvent.RecordCount; i++)
            {
                var record = new AuditRecord
                {
                    Type = auditEvent.GetRecordType(i),
                    Seconds = auditEvent.Seconds,
                    Milliseconds = auditEvent.Milliseconds,
                    Serial = auditEvent.Serial,
                    Node = auditEvent.Node,
                    Body = auditEvent.GetBody(i),
                };
                if (i == 0)
                {
                    copy.Reset(record);
                }
                else
                {
                    copy.Append(record);
                }
            }

            Events.Add(copy);
        }
    }
}
